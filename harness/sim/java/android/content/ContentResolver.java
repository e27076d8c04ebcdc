package android.content;

/**
 * Abstract as on Android: a Context hands out android.app.ContextImpl.ApplicationContentResolver,
 * which declares none of these methods (hooks on ContentResolver's own methods catch its calls,
 * as on a phone). Providers answer from small in-memory tables.
 * The query overloads delegate as Android's do (API 26+): 5 args -> 6 (CancellationSignal) ->
 * (Uri, String[], Bundle, CancellationSignal), which asks the provider. Only the overload the app
 * called is tapped (android.sim.Sensitive.enter).
 */
public abstract class ContentResolver {
    public static final String SCHEME_CONTENT = "content";
    public static final String QUERY_ARG_SQL_SELECTION = "android:query-arg-sql-selection";
    public static final String QUERY_ARG_SQL_SELECTION_ARGS = "android:query-arg-sql-selection-args";
    public static final String QUERY_ARG_SQL_SORT_ORDER = "android:query-arg-sql-sort-order";

    private final Context mContext;

    public ContentResolver(Context context) { mContext = context; }

    /*@api*/ public android.database.Cursor query(android.net.Uri uri, java.lang.String[] projection, java.lang.String selection, java.lang.String[] selectionArgs, java.lang.String sortOrder) {
        try (android.sim.Sensitive.Scope s = android.sim.Sensitive.enter("android.content.ContentResolver.query",
                new Object[] {uri, projection, selection, selectionArgs, sortOrder})) {
            return query(uri, projection, selection, selectionArgs, sortOrder, (android.os.CancellationSignal) null);
        }
    }

    /*@api*/ public android.database.Cursor query(android.net.Uri uri, java.lang.String[] projection, java.lang.String selection, java.lang.String[] selectionArgs, java.lang.String sortOrder, android.os.CancellationSignal cancellationSignal) {
        try (android.sim.Sensitive.Scope s = android.sim.Sensitive.enter("android.content.ContentResolver.query",
                new Object[] {uri, projection, selection, selectionArgs, sortOrder, cancellationSignal})) {
            android.os.Bundle queryArgs = createSqlQueryBundle(selection, selectionArgs, sortOrder);
            return query(uri, projection, queryArgs, cancellationSignal);
        }
    }

    /*@api*/ public android.database.Cursor query(android.net.Uri uri, java.lang.String[] projection, android.os.Bundle queryArgs, android.os.CancellationSignal cancellationSignal) {
        return (android.database.Cursor) android.sim.Sensitive.call("android.content.ContentResolver.query", android.database.Cursor.class, this,
            new Object[] {uri, projection, queryArgs, cancellationSignal});
    }

    /** Android's helper (hidden before API 30): the SQL arguments of the old overloads as a Bundle. */
    public static android.os.Bundle createSqlQueryBundle(String selection, String[] selectionArgs, String sortOrder) {
        if (selection == null && selectionArgs == null && sortOrder == null) return null;
        android.os.Bundle b = new android.os.Bundle();
        if (selection != null) b.putString(QUERY_ARG_SQL_SELECTION, selection);
        if (selectionArgs != null) b.putString(QUERY_ARG_SQL_SELECTION_ARGS, String.join("\u0000", selectionArgs));
        if (sortOrder != null) b.putString(QUERY_ARG_SQL_SORT_ORDER, sortOrder);
        return b;
    }

    // @surface-methods
}
