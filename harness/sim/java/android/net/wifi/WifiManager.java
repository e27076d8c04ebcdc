package android.net.wifi;

public class WifiManager {
    public WifiManager() {}

    public boolean isWifiEnabled() { return true; }

    /*@api*/ public android.net.wifi.WifiInfo getConnectionInfo() {
        return (android.net.wifi.WifiInfo) android.sim.Sensitive.call("android.net.wifi.WifiManager.getConnectionInfo", android.net.wifi.WifiInfo.class, this, new Object[] {});
    }
    /*@api*/ public java.util.List getScanResults() {
        return (java.util.List) android.sim.Sensitive.call("android.net.wifi.WifiManager.getScanResults", java.util.List.class, this, new Object[] {});
    }
    /*@api*/ public boolean startScan() {
        return (Boolean) android.sim.Sensitive.call("android.net.wifi.WifiManager.startScan", boolean.class, this, new Object[] {});
    }

    // @surface-methods
}
