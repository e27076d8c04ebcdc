        android.util.Log.i(TAG, "refused: limited mode");
        status.setText(LIMITED);
