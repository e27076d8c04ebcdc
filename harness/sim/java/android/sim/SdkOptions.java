package android.sim;

import java.util.Map;

/** Builds the option maps generated apps hand their SDKs (one expression per SDK start). */
public final class SdkOptions {
    private SdkOptions() {}

    /** {@code opts} with {@code key} set to {@code value}; the same map, for chaining. */
    public static Map<String, String> with(Map<String, String> opts, String key, String value) {
        opts.put(key, value);
        return opts;
    }
}
