package com.example.probe;

import android.app.Activity;
import android.app.Dialog;
import android.content.ContentResolver;
import android.media.AudioRecord;
import android.net.Uri;
import android.os.Debug;
import android.provider.Settings;
import android.telephony.TelephonyManager;
import android.util.Log;
import android.view.View;
import android.view.ViewGroup;
import android.widget.Button;
import android.widget.PopupWindow;
import android.widget.TextView;
import com.example.sdk.Tracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test program for the agent: runs the commands given as arguments, in order, and
 * prints "DONE <command>" after each so that a test can follow it on stdout.
 */
public final class ProbeApp {
    static final TelephonyManager TM = new TelephonyManager();
    static final ContentResolver CR = new ContentResolver();
    static volatile Object sink;

    static class MainActivity extends Activity {
        @Override protected void onResume() { super.onResume(); }
    }

    public static void main(String[] args) throws Exception {
        int i = 0;
        while (i < args.length) {
            String cmd = args[i++];
            switch (cmd) {
                case "wait": Debug.waitForDebugger(); break;
                case "first": sink = TM.getDeviceId(); break;
                case "suite": suite(); break;
                case "ui": ui(); break;
                case "refuse_exit": refuseThenExit(); break;
                case "burst": {
                    int n = Integer.parseInt(args[i++]);
                    int t = Integer.parseInt(args[i++]);
                    burst(n, t);
                    break;
                }
                case "bench": {
                    String what = args[i++];
                    int n = Integer.parseInt(args[i++]);
                    bench(what, n);
                    break;
                }
                case "pathload": pathLoad(args[i++]); break;
                case "dexload": dexLoad(args[i++]); break;
                case "urlload": urlLoad(args[i++]); break;
                case "urlcall": sink = beacon.getMethod("ping").invoke(null); break;
                case "sleep": Thread.sleep(Long.parseLong(args[i++])); break;
                case "ready": break;
                case "stdin": {
                    // block until the test writes a line (synchronisation point)
                    int c;
                    while ((c = System.in.read()) != -1 && c != '\n') { }
                    break;
                }
                case "exit": System.out.println("DONE exit"); System.out.flush(); System.exit(0); break;
                case "halt": Runtime.getRuntime().halt(7); break;
                case "hold": System.out.println("DONE hold"); System.out.flush(); Thread.sleep(Long.MAX_VALUE); break;
                case "return": break;
                default: throw new IllegalArgumentException("unknown command " + cmd);
            }
            System.out.println("DONE " + cmd);
            System.out.flush();
        }
    }

    static ClassLoader appLoader;
    static Class<?> beacon;

    /** The app's own loader, made after the agent's init (Android's PathClassLoader at bind). */
    static void pathLoad(String dir) throws Exception {
        appLoader = new dalvik.system.PathClassLoader(dir, ProbeApp.class.getClassLoader());
        Class<?> c = appLoader.loadClass("com.example.late.AdId");
        sink = c.getMethod("getId").invoke(null);
        sink = c.getMethod("getId").invoke(null);
        sink = c.getMethod("request", String[].class).invoke(null, (Object) new String[] {"ad_id", "oaid"});
    }

    /** A plug-in SDK through a second loader (DexClassLoader), child of the app's. */
    static void dexLoad(String dir) throws Exception {
        ClassLoader l = new dalvik.system.DexClassLoader(dir, null, null, appLoader);
        Class<?> c = l.loadClass("com.example.plugin.Oaid");
        sink = c.getMethod("getOaid").invoke(c.getDeclaredConstructor().newInstance());
    }

    /** A loader of no Android kind: only the agent's sweep of every loader finds it. */
    static void urlLoad(String dir) throws Exception {
        ClassLoader l = new java.net.URLClassLoader(new java.net.URL[] {new java.io.File(dir).toURI().toURL()}, ProbeApp.class.getClassLoader());
        beacon = l.loadClass("com.example.urlsdk.Beacon");
        sink = beacon.getMethod("ping").invoke(null);
    }

    static void suite() throws Exception {
        sink = TM.getDeviceId(1);
        sink = TM.getImei();
        try {
            sink = TM.getSubscriberId();
        } catch (SecurityException expected) {
            sink = expected;
        }
        sink = Settings.Secure.getString(CR, Settings.Secure.ANDROID_ID);
        sink = CR.query(Uri.parse("content://sms/inbox"), new String[] {"address", "body"}, "read=?", new String[] {"0"}, null);
        sink = CR.query(Uri.parse("content://media/external/images"), null, null, null, null);
        sink = new AudioRecord(1, 44100, 16, 2, 4096);
        try {
            sink = new AudioRecord(1, 44100, 16, 2, -1);
        } catch (IllegalArgumentException expected) {
            sink = expected;
        }
        Thread worker = new Thread(() -> {
            sink = Tracker.collect(TM);
            sink = Tracker.readContacts(CR);
        }, "sdk-worker");
        worker.start();
        worker.join();
        sink = TM.getLine1Number();
    }

    static void ui() {
        MainActivity activity = new MainActivity();
        activity.performResume();
        Dialog dialog = new Dialog();
        ViewGroup root = new ViewGroup();
        root.addView(new TextView("Privacy Policy"));
        root.addView(new TextView("We collect your device ID to provide the service."));
        ViewGroup buttons = new ViewGroup();
        Button agree = new Button("Agree");
        agree.setId(1001, "com.example.probe:id/agree");
        agree.setOnClickListener(v -> activity.requestPermissions(new String[] {"android.permission.ACCESS_FINE_LOCATION"}, 7));
        buttons.addView(agree);
        buttons.addView(new Button("Disagree"));
        root.addView(buttons);
        android.widget.TextView hidden = new android.widget.TextView("hidden text");
        hidden.setVisibility(View.GONE);
        root.addView(hidden);
        dialog.setContentView(root);
        dialog.show();
        agree.performClick();
        dialog.dismiss();
        PopupWindow popup = new PopupWindow(new TextView("New: dark mode"));
        popup.showAtLocation(root, 0, 0, 0);
    }

    /** A refusal handler that collects, then kills the process (a SIGKILL, as apps do). */
    static void refuseThenExit() {
        Button refuse = new Button("Disagree");
        refuse.setOnClickListener(v -> {
            sink = TM.getImei();
            sink = Settings.Secure.getString(CR, Settings.Secure.ANDROID_ID);
            android.os.Process.killProcess(android.os.Process.myPid());
        });
        refuse.performClick();
    }

    static void burst(int n, int threads) throws InterruptedException {
        List<Thread> all = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            final int count = n / threads + (k < n % threads ? 1 : 0);
            Thread t = new Thread(() -> {
                for (int j = 0; j < count; j++) {
                    sink = TM.getDeviceId();
                }
            }, "burst-" + k);
            all.add(t);
        }
        for (Thread t : all) t.start();
        for (Thread t : all) t.join();
    }

    /** Prints per-call nanoseconds of `what`, median of 5 rounds of n calls. */
    static void bench(String what, int n) {
        long[] rounds = new long[5];
        for (int r = 0; r < rounds.length; r++) {
            long t0 = System.nanoTime();
            for (int j = 0; j < n; j++) {
                switch (what) {
                    case "noop": sink = TM.noop(j); break;
                    case "snoop": sink = TelephonyManager.snoop(j); break;
                    case "deviceid": sink = TM.getDeviceId(); break;
                    case "trace": sink = Log.getStackTraceString(new Throwable()); break;
                    default: throw new IllegalArgumentException(what);
                }
            }
            rounds[r] = (System.nanoTime() - t0) / n;
        }
        Arrays.sort(rounds);
        System.out.println("BENCH " + what + " ns_per_call=" + rounds[rounds.length / 2]
            + " rounds=" + Arrays.toString(rounds));
    }
}
