package android.content;

/** Concrete like Android's ApplicationContentResolver; providers answer from small in-memory tables. */
public class ContentResolver {
    public static final String SCHEME_CONTENT = "content";

    public ContentResolver() {}

    /*@api*/ public android.database.Cursor query(android.net.Uri uri, java.lang.String[] projection, java.lang.String selection, java.lang.String[] selectionArgs, java.lang.String sortOrder) {
        return (android.database.Cursor) android.sim.Sensitive.call("android.content.ContentResolver.query", android.database.Cursor.class, this,
            new Object[] {uri, projection, selection, selectionArgs, sortOrder});
    }

    // @surface-methods
}
