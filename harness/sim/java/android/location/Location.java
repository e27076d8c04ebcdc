package android.location;

/** A position; its getters are surface methods (tapped; Frida-hookable). */
public class Location {
    private static final Object[] NO_ARGS = new Object[0];
    private final String provider;
    private double lat;
    private double lon;
    private float accuracy = 12f;
    private long time = System.currentTimeMillis();

    public Location(String provider) { this.provider = provider; }

    public String getProvider() { android.sim.Sensitive.guard("android.location.Location.getProvider", NO_ARGS); return provider; }

    public double getLatitude() { android.sim.Sensitive.guard("android.location.Location.getLatitude", NO_ARGS); return lat; }

    public void setLatitude(double v) { lat = v; }

    public double getLongitude() { android.sim.Sensitive.guard("android.location.Location.getLongitude", NO_ARGS); return lon; }

    public void setLongitude(double v) { lon = v; }

    public float getAccuracy() { android.sim.Sensitive.guard("android.location.Location.getAccuracy", NO_ARGS); return accuracy; }

    public void setAccuracy(float a) { accuracy = a; }

    public long getTime() { android.sim.Sensitive.guard("android.location.Location.getTime", NO_ARGS); return time; }

    @Override public String toString() { return String.format(java.util.Locale.ROOT, "Location[%s %.6f,%.6f acc=%.0f]", provider, lat, lon, accuracy); }
}
