package android.database;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class MatrixCursor implements Cursor {
    private final String[] columns;
    private final List<Object[]> rows = new ArrayList<>();
    private int pos = -1;

    public MatrixCursor(String[] columnNames) { columns = columnNames; }

    public void addRow(Object[] columnValues) { rows.add(columnValues); }

    @Override public int getCount() { return rows.size(); }

    @Override public boolean moveToFirst() { pos = 0; return !rows.isEmpty(); }

    @Override public boolean moveToNext() { pos++; return pos < rows.size(); }

    @Override public int getColumnIndex(String name) { return Arrays.asList(columns).indexOf(name); }

    @Override public String getString(int column) {
        if (pos < 0 || pos >= rows.size() || column < 0 || column >= columns.length) return null;
        Object v = rows.get(pos)[column];
        return v == null ? null : v.toString();
    }

    @Override public String[] getColumnNames() { return columns.clone(); }

    @Override public void close() { rows.clear(); }
}
