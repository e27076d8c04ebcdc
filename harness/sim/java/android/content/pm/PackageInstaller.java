package android.content.pm;

/** Bundled installs: createSession / openSession / Session.commit are surface methods. */
public class PackageInstaller {
    public PackageInstaller() {}

    public static class SessionParams {
        public static final int MODE_FULL_INSTALL = 1;
        public final int mode;
        public String appPackageName;

        public SessionParams(int mode) { this.mode = mode; }

        public void setAppPackageName(String pkg) { appPackageName = pkg; }

        @Override public String toString() { return "SessionParams{mode=" + mode + " pkg=" + appPackageName + "}"; }
    }

    /*@api*/ public int createSession(android.content.pm.PackageInstaller.SessionParams params) {
        return (Integer) android.sim.Sensitive.call("android.content.pm.PackageInstaller.createSession", int.class, this, new Object[] {params});
    }

    /*@api*/ public android.content.pm.PackageInstaller.Session openSession(int sessionId) {
        return (Session) android.sim.Sensitive.call("android.content.pm.PackageInstaller.openSession", Session.class, this, new Object[] {sessionId});
    }

    public static class Session {
        public final int id;

        public Session() { this(0); }

        public Session(int id) { this.id = id; }

        public java.io.OutputStream openWrite(String name, long offset, long length) {
            return java.io.OutputStream.nullOutputStream();
        }

        public void close() {}

        /*@api android.content.pm.PackageInstaller$Session*/ public void commit(android.content.IntentSender statusReceiver) {
            android.sim.Sensitive.call("android.content.pm.PackageInstaller$Session.commit", void.class, this, new Object[] {statusReceiver});
        }

        // @surface-methods android.content.pm.PackageInstaller$Session
    }

    // @surface-methods
}
