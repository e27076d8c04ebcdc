package okhttp3;

import java.io.IOException;

/** Observes, changes or short-circuits a request on its way to the network. */
public interface Interceptor {
    Response intercept(Chain chain) throws IOException;

    interface Chain {
        Request request();

        Response proceed(Request request) throws IOException;
    }
}
