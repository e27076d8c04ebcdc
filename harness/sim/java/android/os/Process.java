package android.os;

public final class Process {
    private Process() {}

    public static int myPid() { return (int) ProcessHandle.current().pid(); }

    public static int myUid() { return 10000 + Math.abs(String.valueOf(System.getenv("SIM_PACKAGE")).hashCode() % 9000); }

    public static int myTid() { return (int) Thread.currentThread().getId(); }

    /**
     * Apps "exit" on refusal with killProcess(myPid()). Like Android, this is a SIGKILL
     * to ourselves: no exit path runs in the process. (Runtime.halt would run libc's
     * exit machinery from inside whatever hooked method called us, which deadlocks an
     * instrumenting agent that intercepts exit.)
     */
    public static void killProcess(int pid) {
        if (pid != myPid()) return;
        try {
            new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor();
            Thread.sleep(10_000);
        } catch (Exception e) {
            // no kill(1) here: fall back to halting
        }
        Runtime.getRuntime().halt(0);
    }
}
