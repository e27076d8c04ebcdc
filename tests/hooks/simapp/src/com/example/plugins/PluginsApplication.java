package com.example.plugins;

/**
 * A test-only sim app: its own classes come from its PathClassLoader; two seconds after
 * launch it loads an ad-id SDK it brought ("adid") through a DexClassLoader, as plug-in SDKs
 * and packers do, and asks it for the advertising id twice.
 */
public class PluginsApplication extends android.app.Application {
    @Override
    public void onCreate() {
        super.onCreate();
        final android.content.Context ctx = this;
        new android.os.Handler(android.os.Looper.getMainLooper()).postDelayed(() -> loadSdk(ctx), 2000);
    }

    static void loadSdk(android.content.Context ctx) {
        try {
            ClassLoader l = new dalvik.system.DexClassLoader(System.getProperty("sim.plugin.adid"), null, null,
                PluginsApplication.class.getClassLoader());
            Class<?> c = l.loadClass("androidx.ads.identifier.AdvertisingIdClient");
            java.lang.reflect.Method m = c.getMethod("getAdvertisingIdInfo", android.content.Context.class);
            for (int i = 0; i < 2; i++) android.util.Log.i("Plugins", "ad id " + m.invoke(null, ctx));
        } catch (ReflectiveOperationException e) {
            android.util.Log.w("Plugins", "no ad-id SDK: " + e);
        }
    }
}
