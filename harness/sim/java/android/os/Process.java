package android.os;

public final class Process {
    private Process() {}

    public static int myPid() { return (int) ProcessHandle.current().pid(); }

    public static int myUid() { return 10000 + Math.abs(String.valueOf(System.getenv("SIM_PACKAGE")).hashCode() % 9000); }

    public static int myTid() { return (int) Thread.currentThread().getId(); }

    /** Apps "exit" on refusal with killProcess(myPid()); halt like a SIGKILL, no JVM shutdown dance. */
    public static void killProcess(int pid) {
        if (pid == myPid()) Runtime.getRuntime().halt(0);
    }
}
