package android.telephony;

public class CellInfo {
    private final int cid;
    private final int dbm;

    public CellInfo() { this(0, -90); }

    public CellInfo(int cid, int dbm) { this.cid = cid; this.dbm = dbm; }

    public int getCid() { return cid; }

    public int getDbm() { return dbm; }

    @Override public String toString() { return "CellInfo{cid=" + cid + " dbm=" + dbm + "}"; }
}
