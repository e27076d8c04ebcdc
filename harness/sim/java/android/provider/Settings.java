package android.provider;

public final class Settings {
    private Settings() {}

    public static final class Secure {
        public static final String ANDROID_ID = "android_id";

        public Secure() {}

        /*@api android.provider.Settings$Secure*/ public static java.lang.String getString(android.content.ContentResolver resolver, java.lang.String name) {
            return (java.lang.String) android.sim.Sensitive.call("android.provider.Settings$Secure.getString", java.lang.String.class, null, new Object[] {resolver, name});
        }

        // @surface-methods android.provider.Settings$Secure
    }

    public static final class System {
        public System() {}

        /*@api android.provider.Settings$System*/ public static java.lang.String getString(android.content.ContentResolver resolver, java.lang.String name) {
            return (java.lang.String) android.sim.Sensitive.call("android.provider.Settings$System.getString", java.lang.String.class, null, new Object[] {resolver, name});
        }

        // @surface-methods android.provider.Settings$System
    }

    public static final class Global {
        public Global() {}

        // @surface-methods android.provider.Settings$Global
    }

    // @surface-methods
}
