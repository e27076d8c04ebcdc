package okhttp3;

import java.io.Closeable;

/** An HTTP response's status line (this client reads no body). */
public final class Response implements Closeable {
    private final Request request;
    private final int code;
    private final String message;

    public Response(Request request, int code, String message) {
        this.request = request;
        this.code = code;
        this.message = message;
    }

    public Request request() { return request; }
    public int code() { return code; }
    public String message() { return message; }
    public boolean isSuccessful() { return code >= 200 && code < 300; }
    @Override public void close() {}
}
