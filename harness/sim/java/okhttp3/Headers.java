package okhttp3;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Request or response headers, in order, names as given. */
public final class Headers {
    private final List<String> pairs;

    Headers(List<String> pairs) { this.pairs = Collections.unmodifiableList(new ArrayList<>(pairs)); }

    public int size() { return pairs.size() / 2; }
    public String name(int i) { return pairs.get(2 * i); }
    public String value(int i) { return pairs.get(2 * i + 1); }

    public String get(String name) {
        for (int i = size() - 1; i >= 0; i--) if (name(i).equalsIgnoreCase(name)) return value(i);
        return null;
    }

    public Builder newBuilder() {
        Builder b = new Builder();
        b.pairs.addAll(pairs);
        return b;
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size(); i++) sb.append(name(i)).append(": ").append(value(i)).append('\n');
        return sb.toString();
    }

    public static final class Builder {
        final List<String> pairs = new ArrayList<>();

        public Builder add(String name, String value) {
            if (name.isEmpty() || name.indexOf(':') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("bad header " + name);
            }
            pairs.add(name);
            pairs.add(value);
            return this;
        }

        public Builder set(String name, String value) {
            removeAll(name);
            return add(name, value);
        }

        public Builder removeAll(String name) {
            for (int i = pairs.size() - 2; i >= 0; i -= 2) {
                if (pairs.get(i).equalsIgnoreCase(name)) {
                    pairs.remove(i + 1);
                    pairs.remove(i);
                }
            }
            return this;
        }

        public Headers build() { return new Headers(pairs); }
    }
}
