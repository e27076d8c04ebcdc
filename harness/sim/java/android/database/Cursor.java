package android.database;

public interface Cursor extends java.io.Closeable {
    int getCount();

    boolean moveToFirst();

    boolean moveToNext();

    int getColumnIndex(String name);

    String getString(int column);

    String[] getColumnNames();

    @Override void close();
}
