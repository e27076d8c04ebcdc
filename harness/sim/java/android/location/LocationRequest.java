package android.location;

/** What a location client asks for (API 31's public builder form). */
public final class LocationRequest {
    private final long intervalMillis;
    private final float minUpdateDistanceMeters;

    private LocationRequest(long intervalMillis, float minUpdateDistanceMeters) {
        this.intervalMillis = intervalMillis;
        this.minUpdateDistanceMeters = minUpdateDistanceMeters;
    }

    public long getIntervalMillis() { return intervalMillis; }

    public float getMinUpdateDistanceMeters() { return minUpdateDistanceMeters; }

    @Override public String toString() { return "LocationRequest[@" + intervalMillis + "ms, " + minUpdateDistanceMeters + "m]"; }

    public static final class Builder {
        private long intervalMillis;
        private float minUpdateDistanceMeters;

        public Builder(long intervalMillis) { this.intervalMillis = intervalMillis; }

        public Builder setIntervalMillis(long ms) { intervalMillis = ms; return this; }

        public Builder setMinUpdateDistanceMeters(float m) { minUpdateDistanceMeters = m; return this; }

        public LocationRequest build() { return new LocationRequest(intervalMillis, minUpdateDistanceMeters); }
    }
}
