package android.os;

/**
 * `am start -D`: the app blocks here until a debugger (on the sim: the Frida agent, which replaces
 * isDebuggerConnected) says it is attached.
 */
public final class Debug {
    private Debug() {}

    public static boolean isDebuggerConnected() { return false; }

    public static void waitForDebugger() {
        while (!isDebuggerConnected()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public static boolean waitingForDebugger() { return false; }
}
