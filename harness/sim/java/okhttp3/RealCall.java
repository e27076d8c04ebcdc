package okhttp3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.internal.http.BridgeInterceptor;
import okhttp3.internal.http.CallServerInterceptor;
import okhttp3.internal.http.RealInterceptorChain;

/** A call: the client's interceptors, then the bridge (default headers), then the network. */
final class RealCall implements Call {
    private final OkHttpClient client;
    private final Request originalRequest;
    private boolean executed;

    RealCall(OkHttpClient client, Request request) {
        this.client = client;
        this.originalRequest = request;
    }

    @Override public Request request() { return originalRequest; }

    @Override public Response execute() throws IOException {
        synchronized (this) {
            if (executed) throw new IllegalStateException("Already Executed");
            executed = true;
        }
        return getResponseWithInterceptorChain();
    }

    @Override public void enqueue(Callback responseCallback) {
        synchronized (this) {
            if (executed) throw new IllegalStateException("Already Executed");
            executed = true;
        }
        Thread t = new Thread(() -> {
            Response response;
            try {
                response = getResponseWithInterceptorChain();
            } catch (IOException e) {
                responseCallback.onFailure(this, e);
                return;
            }
            try {
                responseCallback.onResponse(this, response);
            } catch (IOException e) {
                // the callback's own failure: nothing to report it to
            }
        }, "OkHttp " + originalRequest.url().host());
        t.setDaemon(true);
        t.start();
    }

    Response getResponseWithInterceptorChain() throws IOException {
        List<Interceptor> interceptors = new ArrayList<>(client.interceptors());
        interceptors.add(new BridgeInterceptor());
        interceptors.add(new CallServerInterceptor(client));
        return new RealInterceptorChain(interceptors, 0, originalRequest).proceed(originalRequest);
    }
}
