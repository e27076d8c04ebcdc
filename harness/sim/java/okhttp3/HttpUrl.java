package okhttp3;

import java.net.URI;
import java.net.URISyntaxException;

/** An http or https URL. */
public final class HttpUrl {
    private final URI uri;

    private HttpUrl(URI uri) { this.uri = uri; }

    public static HttpUrl get(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme();
            if (u.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                throw new IllegalArgumentException("not an http(s) URL: " + url);
            }
            return new HttpUrl(u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static HttpUrl parse(String url) {
        try {
            return get(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String scheme() { return uri.getScheme(); }
    public String host() { return uri.getHost(); }
    public int port() { return uri.getPort() >= 0 ? uri.getPort() : ("https".equals(scheme()) ? 443 : 80); }
    public boolean isHttps() { return "https".equals(scheme()); }

    public String encodedPath() {
        String p = uri.getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }

    public String encodedQuery() { return uri.getRawQuery(); }

    @Override public String toString() { return uri.toString(); }
}
