package ${pkg};

/** Generated: Settings, with the path to withdraw consent. */
public class SettingsActivity extends android.app.Activity {
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
${withdraw}        setContentView(root);
    }
}
