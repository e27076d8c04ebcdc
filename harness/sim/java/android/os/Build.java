package android.os;

import android.sim.DeviceInfo;

/** Device properties from SIM_DEVICE; SERIAL is the pre-O field, getSerial() the guarded API. */
public class Build {
    public static final String MODEL = DeviceInfo.get("model", "SIM-1");
    public static final String MANUFACTURER = DeviceInfo.get("manufacturer", "Example");
    public static final String BRAND = DeviceInfo.get("brand", "example");
    public static final String DEVICE = DeviceInfo.get("device", "sim");
    public static final String PRODUCT = DeviceInfo.get("product", "sim");
    public static final String HARDWARE = DeviceInfo.get("hardware", "ranchu");
    public static final String FINGERPRINT = DeviceInfo.get("fingerprint", "example/sim/sim:11/RSIM/1:user/release-keys");
    public static final String SERIAL = "unknown";
    public static final String UNKNOWN = "unknown";

    public Build() {}

    public static class VERSION {
        public static final int SDK_INT = DeviceInfo.sdkInt();
        public static final String RELEASE = DeviceInfo.get("release", "11");

        public VERSION() {}
    }

    public static class VERSION_CODES {
        public static final int M = 23;
        public static final int O = 26;
        public static final int Q = 29;
        public static final int R = 30;

        public VERSION_CODES() {}
    }

    // @surface-methods
}
