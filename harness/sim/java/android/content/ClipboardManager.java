package android.content;

/** The clipboard; reads are surface methods. */
public class ClipboardManager {
    public ClipboardManager() {}

    /*@api*/ public void setPrimaryClip(android.content.ClipData clip) {
        android.sim.Sensitive.call("android.content.ClipboardManager.setPrimaryClip", void.class, this, new Object[] {clip});
    }
    /*@api*/ public android.content.ClipData getPrimaryClip() {
        return (android.content.ClipData) android.sim.Sensitive.call("android.content.ClipboardManager.getPrimaryClip", android.content.ClipData.class, this, new Object[] {});
    }
    /*@api*/ public boolean hasPrimaryClip() {
        return (Boolean) android.sim.Sensitive.call("android.content.ClipboardManager.hasPrimaryClip", boolean.class, this, new Object[] {});
    }
    /*@api*/ public java.lang.CharSequence getText() {
        return (java.lang.CharSequence) android.sim.Sensitive.call("android.content.ClipboardManager.getText", java.lang.CharSequence.class, this, new Object[] {});
    }

    // @surface-methods
}
