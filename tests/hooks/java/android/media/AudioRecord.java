package android.media;

public class AudioRecord {
    public AudioRecord(int source, int rate, int channels, int format, int size) {
        if (size < 0) throw new IllegalArgumentException("bad buffer size");
    }
    public void startRecording() {}
}
