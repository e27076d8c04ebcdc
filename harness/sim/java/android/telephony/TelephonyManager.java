package android.telephony;

/** Phone identity and cell info; reads are surface methods guarded by READ_PHONE_STATE etc. */
public class TelephonyManager {
    public static final int PHONE_TYPE_GSM = 1;
    public static final int SIM_STATE_READY = 5;

    public TelephonyManager() {}

    // getPhoneType, getSimState, getNetworkOperatorName…: generated from the API surface
    // (they are tapped like every surface method); values in android.sim.Behaviours.

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

    // @surface-methods
}
