package android.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * The fictional SDK vendors' collection servers, for the simulator: two loopback listeners in
 * the app's own process, one plain TCP, one TLS (the JDK's own provider, with the fixed test key
 * below), started on first use. They only read what an SDK sends and drop it (never write: a
 * collector's answer would be bytes the app did not send). {@link #received()} counts the bytes
 * read, for the simulator's own tests.
 *
 * The key is a self-signed test key for loopback only (CN=collector.sim.invalid, EC P-256,
 * store password "simcollector"), made once with keytool; nothing trusts it but the fictional
 * SDKs, which trust any server, as careless SDKs do.
 */
public final class Collector {
    private static final String KEYSTORE = ""
        + "MIIEFgIBAzCCA8AGCSqGSIb3DQEHAaCCA7EEggOtMIIDqTCCATAGCSqGSIb3DQEHAaCCASEEggEdMIIBGTCCARUGCyqGSIb3"
        + "DQEMCgECoIG9MIG6MGYGCSqGSIb3DQEFDTBZMDgGCSqGSIb3DQEFDDArBBQ/2BkA/9KWKRbNGkQrFYNaKGRLUwICJxACASAw"
        + "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEDkehFH3eweKvYOrqI9IoekEUO6y+aCO1XlqsMiSpmCKePRNdHHiokHEJAdh"
        + "mzMLwd/grKui7JlfwjpLz5Bbj++2/NgibNsICUJouhfbXruvCdTxqMkuku37j6FKH6ORDGiMMUYwIQYJKoZIhvcNAQkUMRQe"
        + "EgBjAG8AbABsAGUAYwB0AG8AcjAhBgkqhkiG9w0BCRUxFAQSVGltZSAxNzk2Mjg1NjU2NjAxMIICcQYJKoZIhvcNAQcGoIIC"
        + "YjCCAl4CAQAwggJXBgkqhkiG9w0BBwEwZgYJKoZIhvcNAQUNMFkwOAYJKoZIhvcNAQUMMCsEFAJ67zODBiluGAetZ3giL2Tn"
        + "p2SKAgInEAIBIDAMBggqhkiG9w0CCQUAMB0GCWCGSAFlAwQBKgQQnL6bmjt3J16NT57pLwzZ8ICCAeCQLbkwOk0RQJwJOoas"
        + "534oCLYryXf2HbVuvWOOArCq9Qg5GiyYwsuViQRglFbw7PvTEMu4C5r+F/Gt5T+t6Xnay6lhhDd5Mrp4kxcY/cCBvY6gGI9l"
        + "O281HDy4i/GIH0UAoNFbothwTgKhbGV6Ep8SIfKhhgLHzp/6F19xDMCy2vLK80QVp2ZazoqYK7px9G5xQfi6ntyUkci5/NM1"
        + "1fUNwSy+ZmyZUpU5ZdCvtngWVddGsBlaPvApHo+mlNL7HFeGP5UI830/FkDGHHh2283LEWAc8PyTxCQgAQYXIdNa5nb2vaYb"
        + "P33nJXVnzmvY/TUREAVsmBlO5+aXXN15RZMTEsJOQCdOd7m8xjvtqDfXIiug93Wld1Dziw2BuiudYAmLE8k09Oq2D3zr1bmM"
        + "QJaBwN47lw2gnOdwOP9AKVXPqVmRqiLotvv2ZDPsrVxs0Jkro/2NPrRwM0Pdd5hn9AH+iWuZOavJzXAcwjNqwEkiQEV5mUPU"
        + "ofspds5EThrgAMiX4DeJlRwOW20af6PIOnPVfOnugn70mTiiNz1dgE2zSZ5dYH6bho58YrLBPWW9qjyRd1xIyoTk1xWFsc4+"
        + "wahMLVJHDBb1VGG7J06NLLGQ3sADCCk51EKR9ABAWOCHrSwwTTAxMA0GCWCGSAFlAwQCAQUABCDKi/NBHT+Njk2dlo9R6c0I"
        + "wulK9L6WJk/mKMCygpSWhwQU4VGpMoI1zD1zCFbZ0eJT6+2QjsMCAicQ";
    private static final char[] PASSWORD = "simcollector".toCharArray();
    private static final AtomicLong RECEIVED = new AtomicLong();
    private static InetSocketAddress plain;
    private static InetSocketAddress tls;

    private Collector() {}

    /** The plain listener's address (started on first use). */
    public static synchronized InetSocketAddress plain() throws IOException {
        if (plain == null) {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            plain = serve(server, "collector-plain");
        }
        return plain;
    }

    /** The TLS listener's address (started on first use). */
    public static synchronized InetSocketAddress tls() throws IOException {
        if (tls == null) {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(new ByteArrayInputStream(Base64.getDecoder().decode(KEYSTORE)), PASSWORD);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, PASSWORD);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
                tls = serve(server, "collector-tls");
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("collector TLS setup: " + e, e);
            }
        }
        return tls;
    }

    /** Bytes the listeners have read so far. */
    public static long received() { return RECEIVED.get(); }

    private static InetSocketAddress serve(ServerSocket server, String name) {
        Thread t = new Thread(() -> {
            while (true) {
                final Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                Thread reader = new Thread(() -> drain(s), name + "-conn");
                reader.setDaemon(true);
                reader.start();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private static void drain(Socket s) {
        byte[] buf = new byte[8192];
        try (Socket sock = s; InputStream in = sock.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) RECEIVED.addAndGet(n);
        } catch (IOException e) {
            // the SDK hung up: nothing to answer
        }
    }
}
