package android.hardware;

/** The legacy camera API: open() is a surface method guarded by CAMERA. */
public class Camera {
    public Camera() {}

    /*@api*/ public static int getNumberOfCameras() {
        android.sim.Sensitive.guard("android.hardware.Camera.getNumberOfCameras", new Object[] {});
        return 2;
    }

    public void release() {}

    public void stopPreview() {}

    /*@api*/ public static android.hardware.Camera open() {
        return (android.hardware.Camera) android.sim.Sensitive.call("android.hardware.Camera.open", android.hardware.Camera.class, null, new Object[] {});
    }
    /*@api*/ public static android.hardware.Camera open(int cameraId) {
        return (android.hardware.Camera) android.sim.Sensitive.call("android.hardware.Camera.open", android.hardware.Camera.class, null, new Object[] {cameraId});
    }

    /*@api*/ public void startPreview() {
        android.sim.Sensitive.call("android.hardware.Camera.startPreview", void.class, this, new Object[] {});
    }

    // @surface-methods
}
