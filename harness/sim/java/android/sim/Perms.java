package android.sim;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Runtime-permission state of this process (SIM_GRANTS at launch, then `grants` / `perm_result`). */
public final class Perms {
    private static final Set<String> GRANTED = ConcurrentHashMap.newKeySet();

    /** Android's dangerous (runtime) permissions; anything else is granted at install time. */
    private static final Set<String> DANGEROUS = new HashSet<>(Arrays.asList(
        "android.permission.READ_CALENDAR", "android.permission.WRITE_CALENDAR",
        "android.permission.CAMERA",
        "android.permission.READ_CONTACTS", "android.permission.WRITE_CONTACTS", "android.permission.GET_ACCOUNTS",
        "android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION",
        "android.permission.ACCESS_BACKGROUND_LOCATION",
        "android.permission.RECORD_AUDIO",
        "android.permission.READ_PHONE_STATE", "android.permission.READ_PHONE_NUMBERS",
        "android.permission.CALL_PHONE", "android.permission.READ_CALL_LOG", "android.permission.WRITE_CALL_LOG",
        "android.permission.ADD_VOICEMAIL", "android.permission.USE_SIP", "android.permission.PROCESS_OUTGOING_CALLS",
        "android.permission.ANSWER_PHONE_CALLS",
        "android.permission.BODY_SENSORS", "android.permission.ACTIVITY_RECOGNITION",
        "android.permission.SEND_SMS", "android.permission.RECEIVE_SMS", "android.permission.READ_SMS",
        "android.permission.RECEIVE_WAP_PUSH", "android.permission.RECEIVE_MMS",
        "android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE",
        "android.permission.READ_MEDIA_IMAGES", "android.permission.READ_MEDIA_VIDEO",
        "android.permission.READ_MEDIA_AUDIO", "android.permission.ACCESS_MEDIA_LOCATION",
        "android.permission.BLUETOOTH_SCAN", "android.permission.BLUETOOTH_CONNECT",
        "android.permission.NEARBY_WIFI_DEVICES", "android.permission.POST_NOTIFICATIONS"));

    private static final String FINE = "android.permission.ACCESS_FINE_LOCATION";
    private static final String COARSE = "android.permission.ACCESS_COARSE_LOCATION";

    private Perms() {}

    public static void setGranted(Collection<String> perms) {
        GRANTED.clear();
        GRANTED.addAll(perms);
    }

    public static void grant(String perm, boolean granted) {
        if (granted) GRANTED.add(perm); else GRANTED.remove(perm);
    }

    public static boolean isDangerous(String perm) { return DANGEROUS.contains(perm); }

    public static boolean isGranted(String perm) {
        if (perm == null || perm.isEmpty() || !DANGEROUS.contains(perm)) return true;
        return GRANTED.contains(perm);
    }

    /** What a guarded API accepts: location APIs take coarse or fine. "a|b" means any of them. */
    public static boolean allows(String guard) {
        if (guard == null || guard.isEmpty()) return true;
        for (String p : guard.split("\\|")) {
            if (isGranted(p)) return true;
            if ((p.equals(FINE) && isGranted(COARSE)) || (p.equals(COARSE) && isGranted(FINE))) return true;
        }
        return false;
    }

    public static void enforce(String guard, String api) {
        if (!allows(guard)) {
            throw new SecurityException(api + ": neither user " + android.os.Process.myUid()
                + " nor current process has " + guard.replace("|", " or ") + ".");
        }
    }
}
