package android.content;

import android.net.Uri;
import android.os.Bundle;

/** toString() follows Android's "Intent { act=… dat=… typ=… cmp=… }" so hooks' argument matchers see the same text. */
public class Intent {
    public static final String ACTION_MAIN = "android.intent.action.MAIN";
    public static final String ACTION_VIEW = "android.intent.action.VIEW";
    public static final String ACTION_INSTALL_PACKAGE = "android.intent.action.INSTALL_PACKAGE";
    public static final String CATEGORY_LAUNCHER = "android.intent.category.LAUNCHER";
    public static final int FLAG_ACTIVITY_NEW_TASK = 0x10000000;
    public static final int FLAG_GRANT_READ_URI_PERMISSION = 1;

    private String action;
    private Uri data;
    private String type;
    private String className;
    private String packageName;
    private int flags;
    private final Bundle extras = new Bundle();

    public Intent() {}

    public Intent(String action) {
        android.sim.Sensitive.guard("android.content.Intent.$init", new Object[] {action});
        this.action = action;
    }

    public Intent(String action, Uri uri) {
        android.sim.Sensitive.guard("android.content.Intent.$init", new Object[] {action, uri});
        this.action = action;
        this.data = uri;
    }

    public Intent(Context ctx, Class<?> cls) {
        this.packageName = ctx.getPackageName();
        this.className = cls.getName();
    }

    public String getAction() { return action; }

    public Intent setAction(String a) {
        android.sim.Sensitive.guard("android.content.Intent.setAction", new Object[] {a});
        action = a;
        return this;
    }

    public Uri getData() { return data; }

    public Intent setData(Uri u) { data = u; return this; }

    public String getType() { return type; }

    public Intent setType(String t) {
        android.sim.Sensitive.guard("android.content.Intent.setType", new Object[] {t});
        type = t;
        return this;
    }

    public Intent setDataAndType(Uri u, String t) {
        android.sim.Sensitive.guard("android.content.Intent.setDataAndType", new Object[] {u, t});
        data = u;
        type = t;
        return this;
    }

    public Intent setClassName(String pkg, String cls) { packageName = pkg; className = cls; return this; }

    public String getClassName() { return className; }

    public Intent setPackage(String p) { packageName = p; return this; }

    public String getPackage() { return packageName; }

    public Intent addFlags(int f) { flags |= f; return this; }

    public Intent setFlags(int f) { flags = f; return this; }

    public int getFlags() { return flags; }

    public Intent putExtra(String k, String v) { extras.putString(k, v); return this; }

    public Intent putExtra(String k, int v) { extras.putInt(k, v); return this; }

    public Intent putExtra(String k, boolean v) { extras.putBoolean(k, v); return this; }

    public String getStringExtra(String k) { return extras.getString(k); }

    public Bundle getExtras() { return extras; }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Intent {");
        if (action != null) b.append(" act=").append(action);
        if (data != null) b.append(" dat=").append(data);
        if (type != null) b.append(" typ=").append(type);
        if (flags != 0) b.append(" flg=0x").append(Integer.toHexString(flags));
        if (className != null) b.append(" cmp=").append(packageName).append('/').append(className);
        return b.append(" }").toString();
    }
}
