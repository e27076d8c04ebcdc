package okhttp3;

/** An HTTP request: method, URL, headers, body. */
public final class Request {
    private final HttpUrl url;
    private final String method;
    private final Headers headers;
    private final RequestBody body;

    Request(Builder b) {
        this.url = b.url;
        this.method = b.method;
        this.headers = b.headers.build();
        this.body = b.body;
    }

    public HttpUrl url() { return url; }
    public String method() { return method; }
    public Headers headers() { return headers; }
    public String header(String name) { return headers.get(name); }
    public RequestBody body() { return body; }

    public Builder newBuilder() {
        Builder b = new Builder();
        b.url = url;
        b.method = method;
        b.headers = headers.newBuilder();
        b.body = body;
        return b;
    }

    @Override public String toString() { return "Request{method=" + method + ", url=" + url + "}"; }

    public static class Builder {
        HttpUrl url;
        String method = "GET";
        Headers.Builder headers = new Headers.Builder();
        RequestBody body;

        public Builder url(String url) { return url(HttpUrl.get(url)); }

        public Builder url(HttpUrl url) {
            this.url = url;
            return this;
        }

        public Builder header(String name, String value) {
            headers.set(name, value);
            return this;
        }

        public Builder addHeader(String name, String value) {
            headers.add(name, value);
            return this;
        }

        public Builder get() { return method("GET", null); }
        public Builder post(RequestBody body) { return method("POST", body); }

        public Builder method(String method, RequestBody body) {
            this.method = method;
            this.body = body;
            return this;
        }

        public Request build() {
            if (url == null) throw new IllegalStateException("url == null");
            return new Request(this);
        }
    }
}
