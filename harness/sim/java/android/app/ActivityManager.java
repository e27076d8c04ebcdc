package android.app;

public class ActivityManager {
    public ActivityManager() {}

    public static class RunningAppProcessInfo {
        public String processName;
        public int pid;
        public int uid;
        public int importance = 100;

        public RunningAppProcessInfo() {}

        public RunningAppProcessInfo(String name, int pid, String[] pkgs) { processName = name; this.pid = pid; }
    }

    /*@api*/ public java.util.List getRunningAppProcesses() {
        return (java.util.List) android.sim.Sensitive.call("android.app.ActivityManager.getRunningAppProcesses", java.util.List.class, this, new Object[] {});
    }
    /*@api*/ public java.util.List getRunningTasks(int maxNum) {
        return (java.util.List) android.sim.Sensitive.call("android.app.ActivityManager.getRunningTasks", java.util.List.class, this, new Object[] {maxNum});
    }

    // @surface-methods
}
