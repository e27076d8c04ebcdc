package android.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The app's end of the app <-> device bridge (JSON Lines over loopback TCP, see docs/internals.md).
 * Writes are serialised because SDK background threads log concurrently with the main thread.
 */
public final class Bridge {
    private static Socket socket;
    private static OutputStream out;
    private static final Object LOCK = new Object();

    private Bridge() {}

    public static boolean connected() { return out != null; }

    /** Connects to SIM_BRIDGE (host:port). Without it the app runs headless and writes to stderr. */
    public static void connect(String hostPort) throws IOException {
        if (hostPort == null || hostPort.isEmpty()) return;
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 10_000);
        socket = s;
        out = s.getOutputStream();
    }

    public static void send(Map<String, Object> msg) {
        byte[] line = (Json.write(msg) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (LOCK) {
            if (out == null) {
                if ("log".equals(msg.get("t"))) {
                    System.err.println(msg.get("level") + "/" + msg.get("tag") + ": " + msg.get("msg"));
                }
                return;
            }
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                // The device is gone: an Android app does not outlive its device either.
                Runtime.getRuntime().halt(0);
            }
        }
    }

    /**
     * Reads device messages on a daemon thread and hands each to {@code sink}. When the device closes
     * the bridge the process ends at once (halt: nothing may keep a headless app alive).
     */
    @SuppressWarnings("unchecked")
    public static void startReader(Consumer<Map<String, Object>> sink) {
        if (socket == null) return;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isEmpty()) continue;
                    Object v;
                    try {
                        v = Json.parse(line);
                    } catch (RuntimeException e) {
                        System.err.println("bridge: ignoring malformed line: " + e.getMessage());
                        continue;
                    }
                    if (v instanceof Map) sink.accept((Map<String, Object>) v);
                }
            } catch (IOException e) {
                // fall through: treated like EOF
            }
            Runtime.getRuntime().halt(0);
        }, "Binder:bridge");
        t.setDaemon(true);
        t.start();
    }
}
