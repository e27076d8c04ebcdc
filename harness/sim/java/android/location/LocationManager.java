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
    /*
     * requestLocationUpdates delegates as Android's does: (provider, ms, m, listener) ->
     * (…, Looper) -> (…, Executor, listener), which on API 31+ builds a LocationRequest and ends
     * in (provider, LocationRequest, Executor, listener). Only the overload the app called is tapped.
     */
    /*@api*/ public void requestLocationUpdates(java.lang.String provider, long minTimeMs, float minDistanceM, android.location.LocationListener listener) {
        try (android.sim.Sensitive.Scope s = android.sim.Sensitive.enter("android.location.LocationManager.requestLocationUpdates", new Object[] {provider, minTimeMs, minDistanceM, listener})) {
            requestLocationUpdates(provider, minTimeMs, minDistanceM, listener, (android.os.Looper) null);
        }
    }
    /*@api*/ public void requestLocationUpdates(java.lang.String provider, long minTimeMs, float minDistanceM, android.location.LocationListener listener, android.os.Looper looper) {
        try (android.sim.Sensitive.Scope s = android.sim.Sensitive.enter("android.location.LocationManager.requestLocationUpdates", new Object[] {provider, minTimeMs, minDistanceM, listener, looper})) {
            android.os.Looper lp = looper != null ? looper : android.os.Looper.myLooper() != null ? android.os.Looper.myLooper() : android.os.Looper.getMainLooper();
            android.os.Handler h = new android.os.Handler(lp);
            requestLocationUpdates(provider, minTimeMs, minDistanceM, (java.util.concurrent.Executor) h::post, listener);
        }
    }
    /*@api*/ public void requestLocationUpdates(java.lang.String provider, long minTimeMs, float minDistanceM, java.util.concurrent.Executor executor, android.location.LocationListener listener) {
        if (android.os.Build.VERSION.SDK_INT < 31) {
            android.sim.Sensitive.call("android.location.LocationManager.requestLocationUpdates", void.class, this, new Object[] {provider, minTimeMs, minDistanceM, executor, listener});
            return;
        }
        try (android.sim.Sensitive.Scope s = android.sim.Sensitive.enter("android.location.LocationManager.requestLocationUpdates", new Object[] {provider, minTimeMs, minDistanceM, executor, listener})) {
            LocationRequest request = new LocationRequest.Builder(minTimeMs).setMinUpdateDistanceMeters(minDistanceM).build();
            requestLocationUpdates(provider, request, executor, listener);
        }
    }
    /*@api*/ public void requestLocationUpdates(java.lang.String provider, android.location.LocationRequest request, java.util.concurrent.Executor executor, android.location.LocationListener listener) {
        android.sim.Sensitive.call("android.location.LocationManager.requestLocationUpdates", void.class, this, new Object[] {provider, request, executor, listener});
    }
    /*@api*/ public void requestSingleUpdate(java.lang.String provider, android.location.LocationListener listener, android.os.Looper looper) {
        android.sim.Sensitive.call("android.location.LocationManager.requestSingleUpdate", void.class, this, new Object[] {provider, listener, looper});
    }
    /*@api*/ public java.util.List getProviders(boolean enabledOnly) {
        return (java.util.List) android.sim.Sensitive.call("android.location.LocationManager.getProviders", java.util.List.class, this, new Object[] {enabledOnly});
    }

    // @surface-methods
}
