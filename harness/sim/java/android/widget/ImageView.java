package android.widget;

import android.content.Context;
import android.view.View;

public class ImageView extends View {
    private int size = 240;

    public ImageView(Context context) { super(context); }

    public void setSize(int px) { size = px; invalidate(); }

    @Override
    protected int measureHeight(int width) { return size; }
}
