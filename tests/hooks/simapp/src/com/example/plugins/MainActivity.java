package com.example.plugins;

public class MainActivity extends android.app.Activity {
    @Override
    protected void onCreate(android.os.Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        android.widget.TextView text = new android.widget.TextView(this);
        text.setText("Plugins");
        setContentView(text);
    }
}
