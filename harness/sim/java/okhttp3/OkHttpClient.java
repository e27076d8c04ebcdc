package okhttp3;

import java.net.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes calls. */
public class OkHttpClient {
    final Proxy proxy;
    final int connectTimeoutMillis;
    final int readTimeoutMillis;
    final List<Interceptor> interceptors;

    public OkHttpClient() { this(new Builder()); }

    OkHttpClient(Builder b) {
        this.proxy = b.proxy;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.readTimeoutMillis = b.readTimeoutMillis;
        this.interceptors = Collections.unmodifiableList(new ArrayList<>(b.interceptors));
    }

    public Call newCall(Request request) { return new RealCall(this, request); }

    public Proxy proxy() { return proxy; }
    public int connectTimeoutMillis() { return connectTimeoutMillis; }
    public int readTimeoutMillis() { return readTimeoutMillis; }
    public List<Interceptor> interceptors() { return interceptors; }

    public Builder newBuilder() {
        Builder b = new Builder();
        b.proxy = proxy;
        b.connectTimeoutMillis = connectTimeoutMillis;
        b.readTimeoutMillis = readTimeoutMillis;
        b.interceptors.addAll(interceptors);
        return b;
    }

    public static final class Builder {
        Proxy proxy;
        int connectTimeoutMillis = 10_000;
        int readTimeoutMillis = 10_000;
        final List<Interceptor> interceptors = new ArrayList<>();

        public Builder proxy(Proxy proxy) {
            this.proxy = proxy;
            return this;
        }

        public Builder connectTimeout(long timeout, TimeUnit unit) {
            connectTimeoutMillis = (int) unit.toMillis(timeout);
            return this;
        }

        public Builder readTimeout(long timeout, TimeUnit unit) {
            readTimeoutMillis = (int) unit.toMillis(timeout);
            return this;
        }

        public Builder addInterceptor(Interceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        public OkHttpClient build() { return new OkHttpClient(this); }
    }
}
