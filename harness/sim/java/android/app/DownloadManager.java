package android.app;

public class DownloadManager {
    public DownloadManager() {}

    public static class Request {
        final android.net.Uri uri;
        String mimeType;
        CharSequence title;

        public Request(android.net.Uri uri) {
            android.sim.Sensitive.guard("android.app.DownloadManager$Request.$init", new Object[] {uri});
            this.uri = uri;
        }

        public Request setMimeType(String t) {
            android.sim.Sensitive.guard("android.app.DownloadManager$Request.setMimeType", new Object[] {t});
            mimeType = t;
            return this;
        }

        public Request setTitle(CharSequence t) { title = t; return this; }

        public Request setDestinationInExternalFilesDir(android.content.Context ctx, String dirType, String subPath) { return this; }

        public android.net.Uri getUri() { return uri; }

        public String getMimeType() { return mimeType; }

        @Override public String toString() { return "Request{uri=" + uri + " mime=" + mimeType + "}"; }
    }

    /*@api*/ public long enqueue(android.app.DownloadManager.Request request) {
        return (Long) android.sim.Sensitive.call("android.app.DownloadManager.enqueue", long.class, this, new Object[] {request});
    }

    // @surface-methods
}
