package android.provider;

import android.net.Uri;

public final class MediaStore {
    public static final String AUTHORITY = "media";

    private MediaStore() {}

    public static final class Images {
        private Images() {}

        public static final class Media {
            public static final Uri EXTERNAL_CONTENT_URI = Uri.parse("content://media/external/images/media");

            private Media() {}
        }
    }
}
