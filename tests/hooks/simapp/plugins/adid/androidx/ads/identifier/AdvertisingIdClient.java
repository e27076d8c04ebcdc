package androidx.ads.identifier;

/** The test app's plug-in: a stand-in of Jetpack's ad-id client (the catalog's androidx.ad_id). */
public final class AdvertisingIdClient {
    private AdvertisingIdClient() {}

    public static Object getAdvertisingIdInfo(android.content.Context context) {
        return "plugin-ad-id";
    }
}
