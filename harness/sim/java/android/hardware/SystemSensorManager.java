package android.hardware;

/**
 * Android's hidden SystemSensorManager: the concrete SensorManager a Context hands out
 * (getSystemService("sensor")). It declares none of the public methods, so hooks on
 * SensorManager's own methods catch its calls, as on a phone.
 */
public class SystemSensorManager extends SensorManager {
    public SystemSensorManager() {}
}
