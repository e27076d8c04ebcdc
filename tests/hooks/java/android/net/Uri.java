package android.net;

public final class Uri {
    private final String text;
    private Uri(String text) { this.text = text; }
    public static Uri parse(String s) { return new Uri(s); }
    public String getAuthority() {
        int i = text.indexOf("://");
        if (i < 0) return "";
        String rest = text.substring(i + 3);
        int j = rest.indexOf('/');
        return j < 0 ? rest : rest.substring(0, j);
    }
    @Override public String toString() { return text; }
}
