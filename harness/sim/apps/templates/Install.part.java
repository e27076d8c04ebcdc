
    /** Bundled install of ${package} (${via}). */
    static void bundledInstall(final android.content.Context ctx) {
        try {
${code}
        } catch (Exception e) {
            android.util.Log.w(TAG, "install failed: " + e);
        }
    }
