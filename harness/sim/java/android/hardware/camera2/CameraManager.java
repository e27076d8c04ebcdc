package android.hardware.camera2;

public class CameraManager {
    public CameraManager() {}

    /*@api*/ public java.lang.String[] getCameraIdList() throws android.hardware.camera2.CameraAccessException {
        return (java.lang.String[]) android.sim.Sensitive.call("android.hardware.camera2.CameraManager.getCameraIdList", java.lang.String[].class, this, new Object[] {});
    }
    /*@api*/ public void openCamera(java.lang.String cameraId, android.hardware.camera2.CameraDevice.StateCallback callback, android.os.Handler handler) throws android.hardware.camera2.CameraAccessException {
        android.sim.Sensitive.call("android.hardware.camera2.CameraManager.openCamera", void.class, this, new Object[] {cameraId, callback, handler});
    }
    /*@api*/ public void setTorchMode(java.lang.String cameraId, boolean enabled) throws android.hardware.camera2.CameraAccessException {
        android.sim.Sensitive.call("android.hardware.camera2.CameraManager.setTorchMode", void.class, this, new Object[] {cameraId, enabled});
    }

    // @surface-methods
}
