package android.telephony;

public class TelephonyManager {
    public String getDeviceId() { return "867530900000001"; }
    public String getDeviceId(int slot) { return "86753090000000" + slot; }
    public String getImei() { return "867530900000001"; }
    public String getImei(int slot) { return "86753090000000" + slot; }
    public String getSubscriberId() {
        throw new SecurityException("getSubscriberId: Neither user 10086 nor current process has android.permission.READ_PHONE_STATE.");
    }
    public String getLine1Number() { return "+8613800000000"; }
    public int noop(int x) { return x + 1; }
    public static int snoop(int x) { return x + 1; }
}
