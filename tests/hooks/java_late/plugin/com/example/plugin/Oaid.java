package com.example.plugin;

/** A plug-in SDK loaded later through a second loader (DexClassLoader), child of the app's. */
public final class Oaid {
    public String getOaid() {
        return "oaid-" + com.example.late.AdId.getId();
    }
}
