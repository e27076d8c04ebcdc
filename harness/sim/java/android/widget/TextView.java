package android.widget;

import android.content.Context;
import android.view.View;

public class TextView extends View {
    private CharSequence text = "";
    private float textSizePx = 42f;
    protected int padding = 12;

    public TextView(Context context) { super(context); }

    public void setText(CharSequence t) {
        text = t == null ? "" : t;
        invalidate();
    }

    public void setText(int resId) { setText(""); }

    public CharSequence getText() { return text; }

    public void setTextSize(float sp) { textSizePx = sp * 2.625f; invalidate(); }

    public void setGravity(int gravity) {}

    @Override
    protected String text() { return text.toString(); }

    /** Line-wrapped text height: CJK glyphs are about one em wide, Latin ones about half. */
    @Override
    protected int measureHeight(int width) {
        int avail = Math.max(1, width - 2 * padding);
        int lines = 0;
        for (String para : text.toString().split("\n", -1)) {
            float w = 0;
            for (int i = 0; i < para.length(); i++) {
                char c = para.charAt(i);
                w += c >= 0x2E80 ? textSizePx : textSizePx * 0.55f;
            }
            lines += Math.max(1, (int) Math.ceil(w / avail));
        }
        return 2 * padding + (int) Math.ceil(lines * textSizePx * 1.35f);
    }
}
