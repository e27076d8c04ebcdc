package android.net;

/** Immutable URI reference; toString() is the URI text, as on Android (argument matchers of hooks read it). */
public abstract class Uri {
    public static final Uri EMPTY = new StringUri("");

    public static Uri parse(String s) { return new StringUri(s); }

    public static Uri fromParts(String scheme, String ssp, String fragment) {
        return new StringUri(scheme + ":" + ssp + (fragment == null ? "" : "#" + fragment));
    }

    public static Uri withAppendedPath(Uri base, String segment) {
        String b = base.toString();
        return new StringUri(b.endsWith("/") ? b + segment : b + "/" + segment);
    }

    /** The authority of a URI string, or null (used by the provider permission check). */
    public static String authorityOf(String s) {
        int p = s.indexOf("://");
        if (p < 0) return null;
        int st = p + 3;
        int end = st;
        while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) end++;
        return s.substring(st, end);
    }

    public abstract String getScheme();

    public abstract String getAuthority();

    public abstract String getPath();

    public abstract String getLastPathSegment();

    static final class StringUri extends Uri {
        private final String s;

        StringUri(String s) { this.s = s; }

        @Override public String getScheme() { int c = s.indexOf(':'); return c < 0 ? null : s.substring(0, c); }

        @Override public String getAuthority() { return authorityOf(s); }

        @Override public String getPath() {
            String a = getAuthority();
            if (a == null) return null;
            int st = s.indexOf("://") + 3 + a.length();
            int end = st;
            while (end < s.length() && "?#".indexOf(s.charAt(end)) < 0) end++;
            return s.substring(st, end);
        }

        @Override public String getLastPathSegment() {
            String p = getPath();
            if (p == null || p.isEmpty()) return null;
            String t = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            return t.substring(t.lastIndexOf('/') + 1);
        }

        @Override public String toString() { return s; }

        @Override public boolean equals(Object o) { return o instanceof StringUri && ((StringUri) o).s.equals(s); }

        @Override public int hashCode() { return s.hashCode(); }
    }
}
