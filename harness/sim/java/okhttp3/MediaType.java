package okhttp3;

/** A content type such as {@code application/json; charset=utf-8}. */
public final class MediaType {
    private final String text;

    private MediaType(String text) { this.text = text; }

    public static MediaType get(String text) {
        if (text == null || text.indexOf('/') <= 0) throw new IllegalArgumentException("not a media type: " + text);
        return new MediaType(text.trim());
    }

    public static MediaType parse(String text) {
        try {
            return get(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override public String toString() { return text; }
}
