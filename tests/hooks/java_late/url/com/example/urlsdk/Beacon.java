package com.example.urlsdk;

/** An SDK in a loader of no Android kind (a plain URLClassLoader): only a sweep finds it. */
public final class Beacon {
    private Beacon() {}

    public static String ping() {
        return "beacon";
    }
}
