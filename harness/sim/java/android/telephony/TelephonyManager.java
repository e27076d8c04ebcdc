package android.telephony;

/** Phone identity and cell info; reads are catalog methods guarded by READ_PHONE_STATE etc. */
public class TelephonyManager {
    public static final int PHONE_TYPE_GSM = 1;
    public static final int SIM_STATE_READY = 5;

    public TelephonyManager() {}

    public int getPhoneType() { return PHONE_TYPE_GSM; }

    public int getSimState() { return SIM_STATE_READY; }

    public String getNetworkOperatorName() { return android.sim.DeviceInfo.get("operator_name", "SIM Mobile"); }

    /*@api*/ public java.lang.String getDeviceId() {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getDeviceId", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getDeviceId(int slotIndex) {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getDeviceId", java.lang.String.class, this, new Object[] {slotIndex});
    }
    /*@api*/ public java.lang.String getImei() {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getImei", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getImei(int slotIndex) {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getImei", java.lang.String.class, this, new Object[] {slotIndex});
    }
    /*@api*/ public java.lang.String getMeid() {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getMeid", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getMeid(int slotIndex) {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getMeid", java.lang.String.class, this, new Object[] {slotIndex});
    }
    /*@api*/ public java.lang.String getSubscriberId() {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getSubscriberId", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getSimSerialNumber() {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getSimSerialNumber", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getLine1Number() {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getLine1Number", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getNetworkOperator() {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getNetworkOperator", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.String getSimOperator() {
        return (java.lang.String) android.sim.Sensitive.call("android.telephony.TelephonyManager.getSimOperator", java.lang.String.class, this, new Object[] {});
    }
    /*@api*/ public java.util.List getAllCellInfo() {
        return (java.util.List) android.sim.Sensitive.call("android.telephony.TelephonyManager.getAllCellInfo", java.util.List.class, this, new Object[] {});
    }
    /*@api*/ public android.telephony.CellLocation getCellLocation() {
        return (android.telephony.CellLocation) android.sim.Sensitive.call("android.telephony.TelephonyManager.getCellLocation", android.telephony.CellLocation.class, this, new Object[] {});
    }

    // @catalog-methods
}
