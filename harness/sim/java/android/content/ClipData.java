package android.content;

public class ClipData {
    private final CharSequence label;
    private final Item item;

    public ClipData(CharSequence label, String[] mimeTypes, Item item) { this.label = label; this.item = item; }

    public static ClipData newPlainText(CharSequence label, CharSequence text) {
        return new ClipData(label, new String[] {"text/plain"}, new Item(text));
    }

    public int getItemCount() { return item == null ? 0 : 1; }

    public Item getItemAt(int index) { return item; }

    @Override public String toString() { return "ClipData { text/plain \"" + label + "\" }"; }

    public static class Item {
        private final CharSequence text;

        public Item(CharSequence text) { this.text = text; }

        public CharSequence getText() { return text; }

        public CharSequence coerceToText(Context ctx) { return text; }
    }
}
