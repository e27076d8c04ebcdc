package okhttp3;

import java.io.IOException;

/** A request ready to be executed. */
public interface Call {
    Request request();

    Response execute() throws IOException;

    void enqueue(Callback responseCallback);
}
