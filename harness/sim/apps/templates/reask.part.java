        // Nagging: the refused dialog comes back in the same session.
        new android.os.Handler(android.os.Looper.getMainLooper()).postDelayed(() -> {
            if (consented || isFinishing()) return;
            android.util.Log.i(TAG, "asking again after the refusal");
            com.example.consent.ConsentManager.get(this).show(this, consentConfig(),
                new com.example.consent.ConsentManager.Listener() {
                    @Override public void onAgreed(boolean remembered) { onConsented(); }

                    @Override public void onRefused() { MainActivity.this.onRefused(); }
                });
        }, ${reask_ms});
