package android.media;

public class AudioRecord {
    public AudioRecord() {}

    /*@api*/ public AudioRecord(int audioSource, int sampleRateInHz, int channelConfig, int audioFormat, int bufferSizeInBytes) {
        android.sim.Sensitive.call("android.media.AudioRecord.$init", void.class, this, new Object[] {audioSource, sampleRateInHz, channelConfig, audioFormat, bufferSizeInBytes});
    }
    /*@api*/ public void startRecording() {
        android.sim.Sensitive.call("android.media.AudioRecord.startRecording", void.class, this, new Object[] {});
    }
    /*@api*/ public void stop() {
        android.sim.Sensitive.guard("android.media.AudioRecord.stop", new Object[] {});
    }

    public void release() {}

    public int read(byte[] audioData, int offsetInBytes, int sizeInBytes) { return sizeInBytes; }

    public static int getMinBufferSize(int sampleRateInHz, int channelConfig, int audioFormat) { return 3584; }

    // @surface-methods
}
