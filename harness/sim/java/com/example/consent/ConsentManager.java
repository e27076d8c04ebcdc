package com.example.consent;

import android.app.Activity;
import android.app.AlertDialog;
import android.app.Dialog;
import android.content.Context;
import android.content.Intent;
import android.content.SharedPreferences;
import android.sim.Ids;
import android.util.Log;
import android.view.Gravity;
import android.view.View;
import android.widget.Button;
import android.widget.CheckBox;
import android.widget.LinearLayout;
import android.widget.PopupWindow;
import android.widget.TextView;

/**
 * A consent-dialog SDK: shows the privacy-policy dialog, stores the decision in SharedPreferences
 * ("consent_sdk.xml"), skips the dialog at the next cold start once agreed (or, if the app asks
 * for it, within some hours of a refusal), and supports withdrawal.
 */
public final class ConsentManager {
    private static final String TAG = "ConsentSDK";
    private static final String PREFS = "consent_sdk";
    private static ConsentManager instance;

    /** What the app hears back. */
    public interface Listener {
        void onAgreed(boolean remembered);

        void onRefused();
    }

    /** Dialog texts and behaviour (set by the app). */
    public static final class Config {
        public String style = "custom"; // custom | alert | popup
        public String title = "用户协议与隐私政策";
        public String body = "欢迎使用！请阅读《隐私政策》，了解我们如何收集和使用您的个人信息。";
        public String linkText = "《隐私政策》";
        public String agree = "同意";
        /** null: no refuse button at all. */
        public String refuse = "不同意";
        /** A "I have read and agree" checkbox (null: none); agree waits for it to be ticked. */
        public String checkbox;
        public boolean checkboxChecked;
        public String policyTitle = "隐私政策";
        public String policyText = "本政策说明我们收集的信息、用途与您的权利。";
        public boolean remember = true;
        /** A refusal is honoured at launch for this many hours (0: the dialog is shown again). */
        public long rememberRefusalHours;
        public int policyVersion = 1;
    }

    private final Context app;
    private final SharedPreferences prefs;
    private Object showing;

    private ConsentManager(Context ctx) {
        app = ctx.getApplicationContext() != null ? ctx.getApplicationContext() : ctx;
        prefs = app.getSharedPreferences(PREFS, Context.MODE_PRIVATE);
    }

    public static synchronized ConsentManager get(Context ctx) {
        if (instance == null) instance = new ConsentManager(ctx);
        return instance;
    }

    public boolean hasConsent(int policyVersion) {
        return prefs.getBoolean("agreed", false) && prefs.getInt("policy_version", 0) >= policyVersion;
    }

    /** Whether a refusal was stored less than {@code hours} ago. */
    public boolean refusedWithin(long hours) {
        long at = prefs.getLong("refused_at", 0L);
        long age = System.currentTimeMillis() - at;
        return hours > 0 && at > 0 && !prefs.getBoolean("agreed", false) && age >= 0 && age < hours * 3_600_000L;
    }

    /** Shows the dialog unless consent to this policy version is stored, or a recent refusal is. */
    public void showIfNeeded(Activity activity, Config cfg, Listener l) {
        if (cfg.remember && hasConsent(cfg.policyVersion)) {
            Log.i(TAG, "consent remembered (policy v" + cfg.policyVersion + ")");
            l.onAgreed(true);
            return;
        }
        if (refusedWithin(cfg.rememberRefusalHours)) {
            Log.i(TAG, "refusal remembered (" + cfg.rememberRefusalHours + " h): not asking again");
            l.onRefused();
            return;
        }
        show(activity, cfg, l);
    }

    public void show(Activity activity, Config cfg, Listener l) {
        if (showing != null) return;
        String pkg = activity.getPackageName();
        CheckBox[] box = new CheckBox[1];
        Runnable agree = () -> {
            if (box[0] != null && !box[0].isChecked()) {
                // Like real apps' toast: nothing happens until the box is ticked.
                Log.i(TAG, "agree tapped with the consent box unticked");
                return;
            }
            dismiss();
            if (cfg.remember) prefs.edit().putBoolean("agreed", true).putInt("policy_version", cfg.policyVersion)
                .putLong("agreed_at", System.currentTimeMillis()).commit();
            Log.i(TAG, "user agreed");
            l.onAgreed(false);
        };
        Runnable refuse = () -> {
            dismiss();
            // The time of the refusal, so that an app may honour it at later launches.
            prefs.edit().putBoolean("agreed", false).putLong("refused_at", System.currentTimeMillis()).commit();
            Log.i(TAG, "user refused");
            l.onRefused();
        };
        if ("alert".equals(cfg.style)) {
            AlertDialog.Builder builder = new AlertDialog.Builder(activity)
                .setTitle(cfg.title)
                .setMessage(cfg.body)
                .setCancelable(false)
                .setPositiveButton(cfg.agree, (dlg, w) -> agree.run());
            if (cfg.refuse != null) builder.setNegativeButton(cfg.refuse, (dlg, w) -> refuse.run());
            AlertDialog d = builder.create();
            d.getMessageView().setOnClickListener(v -> openPolicy(activity, cfg));
            showing = d;
            d.show();
            return;
        }
        LinearLayout root = new LinearLayout(activity);
        root.setOrientation(LinearLayout.VERTICAL);
        TextView title = new TextView(activity);
        title.setId(Ids.id(pkg + ":id/consent_title"));
        title.setTextSize(20);
        title.setText(cfg.title);
        TextView body = new TextView(activity);
        body.setId(Ids.id(pkg + ":id/consent_body"));
        body.setText(cfg.body);
        TextView link = new TextView(activity);
        link.setId(Ids.id(pkg + ":id/consent_policy_link"));
        link.setText(cfg.linkText);
        link.setOnClickListener(v -> openPolicy(activity, cfg));
        LinearLayout bar = new LinearLayout(activity);
        bar.setOrientation(LinearLayout.HORIZONTAL);
        if (cfg.checkbox != null) {
            box[0] = new CheckBox(activity);
            box[0].setId(Ids.id(pkg + ":id/consent_checkbox"));
            box[0].setText(cfg.checkbox);
            box[0].setChecked(cfg.checkboxChecked);
        }
        Button yes = new Button(activity);
        yes.setId(Ids.id(pkg + ":id/btn_agree"));
        yes.setText(cfg.agree);
        yes.setOnClickListener(v -> agree.run());
        if (cfg.refuse != null) {
            Button no = new Button(activity);
            no.setId(Ids.id(pkg + ":id/btn_refuse"));
            no.setText(cfg.refuse);
            no.setOnClickListener(v -> refuse.run());
            bar.addView(no);
        }
        bar.addView(yes);
        root.addView(title);
        root.addView(body);
        root.addView(link);
        if (box[0] != null) root.addView(box[0]);
        root.addView(bar);
        if ("popup".equals(cfg.style)) {
            // focusable, as real consent popups are (they take BACK): uiautomator dumps it
            PopupWindow p = new PopupWindow(root, PopupWindow.MATCH_PARENT, PopupWindow.WRAP_CONTENT, true);
            showing = p;
            p.showAtLocation(activity.findViewById(View.NO_ID), Gravity.BOTTOM, 0, 0);
        } else {
            Dialog d = new Dialog(activity);
            d.setTitle(cfg.title);
            d.setCancelable(false);
            d.setContentView(root);
            showing = d;
            d.show();
        }
    }

    private void dismiss() {
        if (showing instanceof Dialog) ((Dialog) showing).dismiss();
        else if (showing instanceof PopupWindow) ((PopupWindow) showing).dismiss();
        showing = null;
    }

    public boolean isShowing() { return showing != null; }

    private static void openPolicy(Activity activity, Config cfg) {
        Intent i = new Intent(activity, PolicyActivity.class);
        i.putExtra("title", cfg.policyTitle);
        i.putExtra("text", cfg.policyText);
        activity.startActivity(i);
    }

    /** Withdraws consent: the stored decision is erased; the app must stop its SDKs. */
    public void withdraw() {
        prefs.edit().clear().commit();
        Log.i(TAG, "consent withdrawn");
    }
}
