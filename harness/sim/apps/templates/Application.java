package ${pkg};

/** Generated from the app spec: Application.onCreate starts the SDKs declared on_create. */
public class ${app_cls} extends android.app.Application {
    static final String TAG = ${tag};

    @Override
    public void onCreate() {
        super.onCreate();
        final android.content.Context ctx = this;
${on_create}    }

    static java.util.Map<String, String> opts(String delay, String period) {
        java.util.Map<String, String> o = new java.util.HashMap<>();
        o.put("delay_ms", delay);
        o.put("period_ms", period);
        return o;
    }

    static android.telephony.TelephonyManager tm(android.content.Context ctx) {
        return (android.telephony.TelephonyManager) ctx.getSystemService("phone");
    }

    /** Runs once the user agreed (or consent was remembered). */
    static void afterConsent(android.content.Context ctx, MainActivity activity) {
${after_consent}    }

    /** Runs when the user refused. */
    static void afterRefusal(android.content.Context ctx, MainActivity activity) {
${after_refusal}    }

    /** Consent withdrawn: every SDK stops. */
    static void afterWithdrawal(android.content.Context ctx) {
${after_withdrawal}    }

    /** Runs in MainActivity.onCreate, before / while the consent dialog is up. */
    static void onMain(android.content.Context ctx, MainActivity activity) {
${on_main}    }
${members}}
