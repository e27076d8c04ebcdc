package android.content;

import android.database.Cursor;
import android.net.Uri;

public class ContentResolver {
    public final Cursor query(Uri uri, String[] projection, String selection, String[] selectionArgs, String sortOrder) {
        final int n = uri.getAuthority().length();
        return new Cursor() {
            public int getCount() { return n; }
        };
    }
}
