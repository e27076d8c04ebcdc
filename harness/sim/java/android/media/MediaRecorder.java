package android.media;

public class MediaRecorder {
    public static final class AudioSource {
        public static final int MIC = 1;

        private AudioSource() {}
    }

    public static final class OutputFormat {
        public static final int THREE_GPP = 1;

        private OutputFormat() {}
    }

    public MediaRecorder() {}

    /*@api*/ public void setAudioSource(int audioSource) {
        android.sim.Sensitive.call("android.media.MediaRecorder.setAudioSource", void.class, this, new Object[] {audioSource});
    }
    /*@api*/ public void setVideoSource(int videoSource) {
        android.sim.Sensitive.call("android.media.MediaRecorder.setVideoSource", void.class, this, new Object[] {videoSource});
    }
    /*@api*/ public void start() {
        android.sim.Sensitive.call("android.media.MediaRecorder.start", void.class, this, new Object[] {});
    }
    public void setOutputFormat(int f) {}

    public void setAudioEncoder(int e) {}

    public void setOutputFile(String path) {}

    public void prepare() throws java.io.IOException {}

    /*@api*/ public void stop() {
        android.sim.Sensitive.guard("android.media.MediaRecorder.stop", new Object[] {});
    }

    public void release() {}

    // @surface-methods
}
