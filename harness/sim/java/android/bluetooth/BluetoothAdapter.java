package android.bluetooth;

public class BluetoothAdapter {
    private static final BluetoothAdapter DEFAULT = new BluetoothAdapter();

    public BluetoothAdapter() {}

    public static BluetoothAdapter getDefaultAdapter() { return DEFAULT; }

    public boolean isEnabled() { return true; }

    /*@api*/ public java.lang.String getAddress() {
        return (java.lang.String) android.sim.Sensitive.call("android.bluetooth.BluetoothAdapter.getAddress", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getName() {
        return (java.lang.String) android.sim.Sensitive.call("android.bluetooth.BluetoothAdapter.getName", java.lang.String.class, this, new Object[] {});
    }

    // @surface-methods
}
