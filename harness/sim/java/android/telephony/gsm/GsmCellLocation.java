package android.telephony.gsm;

public class GsmCellLocation extends android.telephony.CellLocation {
    private final int lac;
    private final int cid;

    public GsmCellLocation() { this(0, 0); }

    public GsmCellLocation(int lac, int cid) { this.lac = lac; this.cid = cid; }

    /*@api*/ public int getLac() {
        android.sim.Sensitive.guard("android.telephony.gsm.GsmCellLocation.getLac", new Object[] {});
        return lac;
    }

    /*@api*/ public int getCid() {
        android.sim.Sensitive.guard("android.telephony.gsm.GsmCellLocation.getCid", new Object[] {});
        return cid;
    }

    @Override public String toString() { return "[" + lac + "," + cid + ",-1]"; }
}
