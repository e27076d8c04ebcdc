package ${pkg};

/** Generated from the app spec: the launcher activity and the consent flow. */
public class MainActivity extends ${base_activity} {
    static final String TAG = ${tag};
    static final String LIMITED = ${limited};
    static final String NOTICE_TITLE = ${notice_title};
    static final String NOTICE_TEXT = ${notice_text};
    static final String VIEW_AGAIN = ${view_again};
    static final String STILL_REFUSE = ${still_refuse};
    android.widget.TextView status;
    boolean askedTwice;
    boolean consented;

    @Override
    protected void onCreate(android.os.Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        final android.content.Context ctx = this;
        setTitle(${label});
        android.widget.LinearLayout root = new android.widget.LinearLayout(this);
        android.widget.TextView title = new android.widget.TextView(this);
        title.setId(android.sim.Ids.id(${title_id}));
        title.setTextSize(24);
        title.setText(${label});
        root.addView(title);
        status = new android.widget.TextView(this);
        status.setId(android.sim.Ids.id(${status_id}));
        status.setText(${main_text});
        root.addView(status);
${buttons}        addButton(root, ${settings_text}, "btn_settings", v -> startActivity(new android.content.Intent(this, SettingsActivity.class)));
        setContentView(root);
        ${app_cls}.onMain(ctx, this);
${consent_flow}    }

    void addButton(android.widget.LinearLayout root, String text, String rid, android.view.View.OnClickListener l) {
        android.widget.Button b = new android.widget.Button(this);
        b.setId(android.sim.Ids.id(getPackageName() + ":id/" + rid));
        b.setText(text);
        b.setOnClickListener(l);
        root.addView(b);
    }

    com.example.consent.ConsentManager.Config consentConfig() {
        com.example.consent.ConsentManager.Config cfg = new com.example.consent.ConsentManager.Config();
        cfg.style = ${c_style};
        cfg.title = ${c_title};
        cfg.body = ${c_body};
        cfg.linkText = ${c_link};
        cfg.agree = ${c_agree};
        cfg.refuse = ${c_refuse};
        cfg.checkbox = ${c_checkbox};
        cfg.checkboxChecked = ${c_checkbox_checked};
        cfg.policyTitle = ${c_policy_title};
        cfg.policyText = ${c_policy_text};
        cfg.remember = ${c_remember};
        cfg.rememberRefusalHours = ${c_refusal_hours}L;
        return cfg;
    }

    void askConsent() {
        com.example.consent.ConsentManager.get(this).showIfNeeded(this, consentConfig(),
            new com.example.consent.ConsentManager.Listener() {
                @Override public void onAgreed(boolean remembered) { onConsented(); }

                @Override public void onRefused() { MainActivity.this.onRefused(); }
            });
    }

    void onConsented() {
        if (consented) return;
        consented = true;
        status.setText(${main_text});
        ${app_cls}.afterConsent(this, this);
    }

    void onRefused() {
        ${app_cls}.afterRefusal(this, this);
${on_refuse}${reask}    }

    void onWithdrawn() {
        consented = false;
        ${app_cls}.afterWithdrawal(this);
        com.example.consent.ConsentManager.get(this).show(this, consentConfig(),
            new com.example.consent.ConsentManager.Listener() {
                @Override public void onAgreed(boolean remembered) { onConsented(); }

                @Override public void onRefused() { MainActivity.this.onRefused(); }
            });
    }

    static MainActivity current;

    @Override
    protected void onResume() {
        current = this;
    }

    @Override
    public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < permissions.length; i++) b.append(permissions[i]).append('=').append(grantResults[i] == 0).append(' ');
        android.util.Log.i(TAG, "permission result " + requestCode + ": " + b);
    }
${perm_methods}}
