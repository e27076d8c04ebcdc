        // An animated splash ad comes first (spec: splash_ms): a progress animation runs for
        // its whole duration, so uiautomator cannot get an idle state meanwhile. The app's own
        // screen and then its consent flow follow when the ad ends or is skipped.
        final boolean[] splashDone = new boolean[1];
        final android.widget.LinearLayout splashAd = new android.widget.LinearLayout(this);
        splashAd.setId(android.sim.Ids.id(getPackageName() + ":id/splash_ad"));
        final android.widget.TextView splashText = new android.widget.TextView(this);
        splashText.setId(android.sim.Ids.id(getPackageName() + ":id/splash_text"));
        splashText.setText(${ad_text});
        splashAd.addView(splashText);
        final android.widget.Button splashSkip = new android.widget.Button(this);
        splashSkip.setId(android.sim.Ids.id(getPackageName() + ":id/splash_skip"));
        splashAd.addView(splashSkip);
        setContentView(splashAd);
        final android.animation.ValueAnimator splashAnim = android.animation.ValueAnimator.ofInt(0, 100);
        splashAnim.setDuration(1000);
        splashAnim.setRepeatCount(android.animation.ValueAnimator.INFINITE);
        final long splashEnd = android.os.SystemClock.uptimeMillis() + ${splash_ms};
        splashAnim.addUpdateListener(a -> {
            long left = Math.max(0, splashEnd - android.os.SystemClock.uptimeMillis());
            splashSkip.setText(${skip_text} + " " + ((left + 999) / 1000));
            splashText.setText(${ad_text} + " " + a.getAnimatedValue() + "%");
        });
        final Runnable afterSplash = () -> {
            if (splashDone[0]) return;
            splashDone[0] = true;
            splashAnim.cancel();
            setContentView(root);
${then}        };
        splashSkip.setOnClickListener(v -> afterSplash.run());
        android.util.Log.i(TAG, "splash ad for " + ${splash_ms} + " ms");
        splashAnim.start();
        new android.os.Handler(android.os.Looper.getMainLooper()).postDelayed(afterSplash, ${splash_ms});
