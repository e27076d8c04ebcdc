package android.provider;

import android.net.Uri;

public final class ContactsContract {
    public static final String AUTHORITY = "com.android.contacts";

    private ContactsContract() {}

    public static class Contacts {
        public static final Uri CONTENT_URI = Uri.parse("content://com.android.contacts/contacts");
        public static final String DISPLAY_NAME = "display_name";

        private Contacts() {}
    }

    public static final class CommonDataKinds {
        private CommonDataKinds() {}

        public static final class Phone {
            public static final Uri CONTENT_URI = Uri.parse("content://com.android.contacts/data/phones");
            public static final String NUMBER = "data1";

            private Phone() {}
        }
    }
}
