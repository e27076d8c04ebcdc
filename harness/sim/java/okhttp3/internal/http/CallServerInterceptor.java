package okhttp3.internal.http;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The last interceptor: connects, writes the request, reads the status line. */
public final class CallServerInterceptor implements okhttp3.Interceptor {
    private final OkHttpClient client;

    public CallServerInterceptor(OkHttpClient client) { this.client = client; }

    @Override public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.url().isHttps()) throw new IOException("this client speaks plain HTTP only");
        Proxy proxy = client.proxy();
        boolean viaProxy = proxy != null && proxy.type() == Proxy.Type.HTTP;
        try (Socket socket = new Socket()) {
            socket.connect(viaProxy ? proxy.address()
                : new InetSocketAddress(request.url().host(), request.url().port()), client.connectTimeoutMillis());
            socket.setSoTimeout(client.readTimeoutMillis());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            String target = request.url().encodedPath()
                + (request.url().encodedQuery() != null ? "?" + request.url().encodedQuery() : "");
            StringBuilder head = new StringBuilder();
            head.append(request.method()).append(' ').append(viaProxy ? request.url().toString() : target)
                .append(" HTTP/1.1\r\n");
            for (int i = 0; i < request.headers().size(); i++) {
                head.append(request.headers().name(i)).append(": ").append(request.headers().value(i)).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (request.body() != null) request.body().writeTo(out);
            out.flush();
            return new Response(request, readStatus(socket.getInputStream()), "");
        }
    }

    private static int readStatus(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') line.write(c);
        String status = line.toString("US-ASCII").trim();
        String[] parts = status.split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("unexpected status line: " + status);
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected status line: " + status, e);
        }
    }
}
