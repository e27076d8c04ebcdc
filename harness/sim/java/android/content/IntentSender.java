package android.content;

public class IntentSender {
    public IntentSender() {}
}
