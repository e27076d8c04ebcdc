        if (askedTwice) {
            android.util.Log.i(TAG, "refused twice: exiting");
            finish();
            android.os.Process.killProcess(android.os.Process.myPid());
            return;
        }
        askedTwice = true;
        new android.app.AlertDialog.Builder(this)
            .setTitle(NOTICE_TITLE)
            .setMessage(NOTICE_TEXT)
            .setCancelable(false)
            .setPositiveButton(VIEW_AGAIN, (d, w) -> askConsent())
            .setNegativeButton(STILL_REFUSE, (d, w) -> onRefused())
            .show();
