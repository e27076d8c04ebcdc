package android.location;

public class Location {
    private final String provider;
    private double lat;
    private double lon;
    private float accuracy = 12f;
    private long time = System.currentTimeMillis();

    public Location(String provider) { this.provider = provider; }

    public String getProvider() { return provider; }

    public double getLatitude() { return lat; }

    public void setLatitude(double v) { lat = v; }

    public double getLongitude() { return lon; }

    public void setLongitude(double v) { lon = v; }

    public float getAccuracy() { return accuracy; }

    public void setAccuracy(float a) { accuracy = a; }

    public long getTime() { return time; }

    @Override public String toString() { return String.format(java.util.Locale.ROOT, "Location[%s %.6f,%.6f acc=%.0f]", provider, lat, lon, accuracy); }
}
