package android.telephony.gsm;

public class GsmCellLocation extends android.telephony.CellLocation {
    private final int lac;
    private final int cid;

    public GsmCellLocation() { this(0, 0); }

    public GsmCellLocation(int lac, int cid) { this.lac = lac; this.cid = cid; }

    public int getLac() { return lac; }

    public int getCid() { return cid; }

    @Override public String toString() { return "[" + lac + "," + cid + ",-1]"; }
}
