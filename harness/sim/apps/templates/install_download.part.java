            android.app.DownloadManager dm = (android.app.DownloadManager) ctx.getSystemService("download");
            android.app.DownloadManager.Request r = new android.app.DownloadManager.Request(android.net.Uri.parse(${apk_url}));
            r.setMimeType("application/vnd.android.package-archive");
            dm.enqueue(r);
