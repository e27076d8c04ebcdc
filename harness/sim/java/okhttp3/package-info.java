/**
 * A tiny HTTP/1.1 client with the public names of OkHttp 3 (OkHttpClient, Request, Call,
 * Interceptor, okhttp3.internal.http.CallServerInterceptor…), written for the simulator so
 * that the agent's OkHttp hook path runs against a real call chain. Not OkHttp's code: plain
 * sockets, no pooling, no HTTP/2, no TLS; bodies are written with {@link
 * okhttp3.RequestBody#writeTo(java.io.OutputStream)} (OkHttp's takes an okio sink).
 */
package okhttp3;
