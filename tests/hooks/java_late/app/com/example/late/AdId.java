package com.example.late;

/** A class the app ships (in its own class loader, not on the class path): an ad-id provider. */
public final class AdId {
    private AdId() {}

    public static String getId() {
        return "ad-id-1";
    }

    /** A String[] parameter: the bridge converts it through the loader's class factory. */
    public static int request(String[] scopes) {
        return scopes.length;
    }
}
