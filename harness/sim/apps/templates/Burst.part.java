
    /** Load test: ${calls} sensitive calls from ${threads} threads, then idle. */
    static void burst(final android.content.Context ctx) {
        final int threads = ${threads};
        final int total = ${calls};
        for (int t = 0; t < threads; t++) {
            final int n = total / threads + (t < total % threads ? 1 : 0);
            Thread th = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    try { ${stmt} } catch (Exception e) { }
                }
                android.util.Log.i(TAG, "burst thread done: " + n);
            }, "burst-" + t);
            th.start();
        }
    }
