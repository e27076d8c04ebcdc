package android.location;

public class LocationManager {
    public static final String GPS_PROVIDER = "gps";
    public static final String NETWORK_PROVIDER = "network";
    public static final String PASSIVE_PROVIDER = "passive";

    public LocationManager() {}

    public boolean isProviderEnabled(String provider) {
        android.sim.Sensitive.guard("android.location.LocationManager.isProviderEnabled", new Object[] {provider});
        return true;
    }

    public void removeUpdates(android.location.LocationListener listener) { android.sim.Behaviours.removeLocationListener(listener); }

    /*@api*/ public android.location.Location getLastKnownLocation(java.lang.String provider) {
        return (android.location.Location) android.sim.Sensitive.call("android.location.LocationManager.getLastKnownLocation", android.location.Location.class, this, new Object[] {provider});
    }
    /*@api*/ public void requestLocationUpdates(java.lang.String provider, long minTimeMs, float minDistanceM, android.location.LocationListener listener) {
        android.sim.Sensitive.call("android.location.LocationManager.requestLocationUpdates", void.class, this, new Object[] {provider, minTimeMs, minDistanceM, listener});
    }
    /*@api*/ public void requestSingleUpdate(java.lang.String provider, android.location.LocationListener listener, android.os.Looper looper) {
        android.sim.Sensitive.call("android.location.LocationManager.requestSingleUpdate", void.class, this, new Object[] {provider, listener, looper});
    }
    /*@api*/ public java.util.List getProviders(boolean enabledOnly) {
        return (java.util.List) android.sim.Sensitive.call("android.location.LocationManager.getProviders", java.util.List.class, this, new Object[] {enabledOnly});
    }

    // @surface-methods
}
