package android.os;

/** As on Android (and the simulated device): killProcess(myPid()) is a SIGKILL. */
public final class Process {
    private Process() {}

    public static int myPid() { return (int) ProcessHandle.current().pid(); }

    public static void killProcess(int pid) {
        try {
            new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor();
            Thread.sleep(10_000);
        } catch (Exception e) {
            // no kill(1): fall through
        }
    }
}
