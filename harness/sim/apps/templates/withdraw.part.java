        android.widget.Button w = new android.widget.Button(this);
        w.setId(android.sim.Ids.id(getPackageName() + ":id/btn_withdraw"));
        w.setText(${withdraw_text});
        w.setOnClickListener(v -> {
            com.example.consent.ConsentManager.get(this).withdraw();
            finish();
            if (MainActivity.current != null) MainActivity.current.onWithdrawn();
        });
        root.addView(w);
