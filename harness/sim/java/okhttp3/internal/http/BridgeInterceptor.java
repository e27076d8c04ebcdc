package okhttp3.internal.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Adds the headers every request carries (Host, User-Agent, the body's type and length). */
public final class BridgeInterceptor implements Interceptor {
    @Override public Response intercept(Chain chain) throws IOException {
        Request user = chain.request();
        Request.Builder b = user.newBuilder();
        RequestBody body = user.body();
        if (body != null) {
            if (body.contentType() != null) b.header("Content-Type", body.contentType().toString());
            long length = body.contentLength();
            if (length >= 0) b.header("Content-Length", Long.toString(length));
        }
        if (user.header("Host") == null) {
            int port = user.url().port();
            boolean standard = port == (user.url().isHttps() ? 443 : 80);
            b.header("Host", standard ? user.url().host() : user.url().host() + ":" + port);
        }
        if (user.header("Connection") == null) b.header("Connection", "close");
        if (user.header("User-Agent") == null) b.header("User-Agent", "okhttp/3.14.9");
        return chain.proceed(b.build());
    }
}
