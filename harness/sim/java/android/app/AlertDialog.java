package android.app;

import android.content.Context;
import android.content.DialogInterface;
import android.sim.Ids;
import android.widget.Button;
import android.widget.LinearLayout;
import android.widget.TextView;

/** The stock dialog: title, message, up to three buttons with android:id/button1..3 like Android. */
public class AlertDialog extends Dialog {
    private final TextView titleView;
    private final TextView messageView;
    private final Button[] buttons = new Button[3];

    protected AlertDialog(Context context) {
        super(context);
        LinearLayout root = new LinearLayout(context);
        root.setOrientation(LinearLayout.VERTICAL);
        titleView = new TextView(context);
        titleView.setId(Ids.id("android:id/alertTitle"));
        titleView.setTextSize(20);
        messageView = new TextView(context);
        messageView.setId(Ids.id("android:id/message"));
        LinearLayout bar = new LinearLayout(context);
        bar.setOrientation(LinearLayout.HORIZONTAL);
        String[] ids = {"android:id/button3", "android:id/button2", "android:id/button1"};
        for (int i = 0; i < 3; i++) {
            buttons[i] = new Button(context);
            buttons[i].setId(Ids.id(ids[i]));
            buttons[i].setVisibility(android.view.View.GONE);
            bar.addView(buttons[i]);
        }
        root.addView(titleView);
        root.addView(messageView);
        root.addView(bar);
        setContentView(root);
        titleView.setVisibility(android.view.View.GONE);
    }

    @Override
    public void setTitle(CharSequence t) {
        super.setTitle(t);
        titleView.setText(t);
        titleView.setVisibility(t == null ? android.view.View.GONE : android.view.View.VISIBLE);
    }

    public void setMessage(CharSequence m) { messageView.setText(m); }

    public TextView getMessageView() { return messageView; }

    /** which: BUTTON_POSITIVE / NEGATIVE / NEUTRAL. */
    public void setButton(int which, CharSequence text, DialogInterface.OnClickListener l) {
        int slot = which == BUTTON_NEUTRAL ? 0 : which == BUTTON_NEGATIVE ? 1 : 2;
        Button b = buttons[slot];
        b.setText(text);
        b.setVisibility(android.view.View.VISIBLE);
        b.setOnClickListener(v -> {
            if (l != null) l.onClick(this, which);
            dismiss();
        });
    }

    public Button getButton(int which) {
        return buttons[which == BUTTON_NEUTRAL ? 0 : which == BUTTON_NEGATIVE ? 1 : 2];
    }

    public static class Builder {
        private final Context context;
        private CharSequence title;
        private CharSequence message;
        private boolean cancelable = true;
        private final CharSequence[] texts = new CharSequence[3];
        private final DialogInterface.OnClickListener[] listeners = new DialogInterface.OnClickListener[3];

        public Builder(Context context) { this.context = context; }

        public Builder setTitle(CharSequence t) { title = t; return this; }

        public Builder setMessage(CharSequence m) { message = m; return this; }

        public Builder setCancelable(boolean c) { cancelable = c; return this; }

        public Builder setPositiveButton(CharSequence t, DialogInterface.OnClickListener l) { texts[2] = t; listeners[2] = l; return this; }

        public Builder setNegativeButton(CharSequence t, DialogInterface.OnClickListener l) { texts[1] = t; listeners[1] = l; return this; }

        public Builder setNeutralButton(CharSequence t, DialogInterface.OnClickListener l) { texts[0] = t; listeners[0] = l; return this; }

        public AlertDialog create() {
            AlertDialog d = new AlertDialog(context);
            if (title != null) d.setTitle(title);
            if (message != null) d.setMessage(message);
            d.setCancelable(cancelable);
            int[] which = {BUTTON_NEUTRAL, BUTTON_NEGATIVE, BUTTON_POSITIVE};
            for (int i = 0; i < 3; i++) if (texts[i] != null) d.setButton(which[i], texts[i], listeners[i]);
            return d;
        }

        public AlertDialog show() {
            AlertDialog d = create();
            d.show();
            return d;
        }
    }
}
