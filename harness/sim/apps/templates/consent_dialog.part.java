        if (${delay_ms} > 0) {
            new android.os.Handler(android.os.Looper.getMainLooper()).postDelayed(this::askConsent, ${delay_ms});
        } else {
            askConsent();
        }
