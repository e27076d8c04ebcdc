package okhttp3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A request's body. */
public abstract class RequestBody {
    public abstract MediaType contentType();

    public long contentLength() throws IOException { return -1; }

    /** Writes the body (OkHttp's own takes an okio BufferedSink). */
    public abstract void writeTo(OutputStream sink) throws IOException;

    public static RequestBody create(MediaType contentType, String content) {
        return create(contentType, content.getBytes(StandardCharsets.UTF_8));
    }

    public static RequestBody create(final MediaType contentType, final byte[] content) {
        return new RequestBody() {
            @Override public MediaType contentType() { return contentType; }
            @Override public long contentLength() { return content.length; }
            @Override public void writeTo(OutputStream sink) throws IOException { sink.write(content); }
        };
    }
}
