package okhttp3.internal.http;

import java.io.IOException;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/** The rest of a call's interceptors, from {@code index} on. */
public final class RealInterceptorChain implements Interceptor.Chain {
    private final List<Interceptor> interceptors;
    private final int index;
    private final Request request;

    public RealInterceptorChain(List<Interceptor> interceptors, int index, Request request) {
        this.interceptors = interceptors;
        this.index = index;
        this.request = request;
    }

    @Override public Request request() { return request; }

    @Override public Response proceed(Request request) throws IOException {
        if (index >= interceptors.size()) throw new AssertionError("no interceptor left");
        return interceptors.get(index).intercept(new RealInterceptorChain(interceptors, index + 1, request));
    }
}
