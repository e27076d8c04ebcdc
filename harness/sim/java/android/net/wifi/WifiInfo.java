package android.net.wifi;

public class WifiInfo {
    public WifiInfo() {}

    public int getRssi() { return -55; }

    /*@api*/ public java.lang.String getMacAddress() {
        return (java.lang.String) android.sim.Sensitive.call("android.net.wifi.WifiInfo.getMacAddress", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getSSID() {
        return (java.lang.String) android.sim.Sensitive.call("android.net.wifi.WifiInfo.getSSID", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getBSSID() {
        return (java.lang.String) android.sim.Sensitive.call("android.net.wifi.WifiInfo.getBSSID", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public int getIpAddress() {
        return (Integer) android.sim.Sensitive.call("android.net.wifi.WifiInfo.getIpAddress", int.class, this, new Object[] {});
    }

    // @surface-methods
}
