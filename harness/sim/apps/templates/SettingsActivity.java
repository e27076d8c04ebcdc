package ${pkg};

/**
 * Generated: Settings, with the path to withdraw consent, and an About section below it: a
 * screen taller than the display, in a ScrollView, as settings screens are — its last rows
 * (the build number) are on screen only after scrolling.
 */
public class SettingsActivity extends android.app.Activity {
    private static final String[][] ABOUT_EN = {
        {"About", null}, {"Account", "Signed out"}, {"Notifications", "On"},
        {"Theme", "Follow system"}, {"Font size", "Default"}, {"Language", "System default"},
        {"Downloads", "Wi-Fi only"}, {"Backup", "Off"}, {"Accessibility", "Screen reader off"},
        {"Clear cache", "12 MB"}, {"Autoplay", "Never"},
        {"Storage", "Cache and downloads"}, {"Data usage", "Wi-Fi and mobile data"},
        {"Permissions", "Managed in system settings"}, {"Terms of service", null},
        {"Privacy policy", null}, {"Help and support", null}, {"Rate this app", null},
        {"Share this app", null}, {"Open-source licences", null}, {"Version", "1.0"},
        {"Device compatibility", "Android 13"}, {"Contact us", "support@example.com"},
        {"Build number", "sim-1"},
    };
    private static final String[][] ABOUT_ZH = {
        {"关于", null}, {"账号", "未登录"}, {"通知", "开启"}, {"主题", "跟随系统"},
        {"字体大小", "标准"}, {"语言", "跟随系统"}, {"下载", "仅 Wi-Fi"}, {"备份", "关闭"},
        {"无障碍", "读屏关闭"}, {"清除缓存", "12 MB"}, {"自动播放", "从不"}, {"存储", "缓存与下载"},
        {"流量使用", "Wi-Fi 与移动数据"}, {"权限", "在系统设置中管理"}, {"服务条款", null},
        {"隐私政策", null}, {"帮助与支持", null}, {"给我们评分", null}, {"分享应用", null},
        {"开源许可", null}, {"版本", "1.0"}, {"设备兼容性", "Android 13"},
        {"联系我们", "support@example.com"}, {"版本号", "sim-1"},
    };

    @Override
    protected void onCreate(android.os.Bundle savedInstanceState) {
        android.widget.LinearLayout root = new android.widget.LinearLayout(this);
        android.widget.TextView t = new android.widget.TextView(this);
        t.setText(${settings_text});
        t.setTextSize(22);
        root.addView(t);
        // a feedback field: something to type into (and, focused, it asks the clipboard)
        android.widget.EditText feedback = new android.widget.EditText(this);
        feedback.setId(android.sim.Ids.id(getPackageName() + ":id/feedback"));
        root.addView(feedback);
${withdraw}        addAbout(root);
        android.widget.ScrollView scroll = new android.widget.ScrollView(this);
        scroll.setId(android.sim.Ids.id(getPackageName() + ":id/settings_scroll"));
        scroll.addView(root);
        setContentView(scroll);
    }

    /**
     * The About rows, in the app's language (the title's text tells which one it speaks): a
     * heading, then rows of a title and an optional summary, each its own TextView as in
     * Android's preference screens.
     */
    private void addAbout(android.widget.LinearLayout root) {
        String[][] rows = "设置".equals(${settings_text}) ? ABOUT_ZH : ABOUT_EN;
        for (int i = 0; i < rows.length; i++) {
            android.widget.TextView title = new android.widget.TextView(this);
            title.setText(rows[i][0]);
            if (i == 0) {
                title.setTextSize(20);
                root.addView(title);
                continue;
            }
            android.widget.LinearLayout row = new android.widget.LinearLayout(this);
            row.setPadding(12, 12, 12, 12);
            row.addView(title);
            if (rows[i][1] != null) {
                android.widget.TextView summary = new android.widget.TextView(this);
                summary.setText(rows[i][1]);
                summary.setTextSize(14);
                row.addView(summary);
            }
            if (i == rows.length - 1) row.setId(android.sim.Ids.id(getPackageName() + ":id/about_build"));
            root.addView(row);
        }
    }
}
