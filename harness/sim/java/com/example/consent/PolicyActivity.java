package com.example.consent;

import android.app.Activity;
import android.os.Bundle;
import android.sim.Ids;
import android.widget.Button;
import android.widget.LinearLayout;
import android.widget.TextView;

/** The full privacy policy, opened from the dialog's link; BACK or the button returns. */
public class PolicyActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        String pkg = getPackageName();
        LinearLayout root = new LinearLayout(this);
        TextView title = new TextView(this);
        title.setId(Ids.id(pkg + ":id/policy_title"));
        title.setTextSize(22);
        title.setText(getIntent().getStringExtra("title"));
        TextView text = new TextView(this);
        text.setId(Ids.id(pkg + ":id/policy_text"));
        text.setText(getIntent().getStringExtra("text"));
        Button back = new Button(this);
        back.setId(Ids.id(pkg + ":id/policy_back"));
        back.setText("←");
        back.setContentDescription("Navigate up");
        back.setOnClickListener(v -> finish());
        root.addView(back);
        root.addView(title);
        root.addView(text);
        setContentView(root);
    }
}
