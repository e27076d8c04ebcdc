        android.util.Log.i(TAG, "refused: exiting");
        finish();
        android.os.Process.killProcess(android.os.Process.myPid());
