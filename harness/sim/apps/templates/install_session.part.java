            android.content.pm.PackageInstaller pi = ctx.getPackageManager().getPackageInstaller();
            android.content.pm.PackageInstaller.SessionParams p = new android.content.pm.PackageInstaller.SessionParams(android.content.pm.PackageInstaller.SessionParams.MODE_FULL_INSTALL);
            p.setAppPackageName(${package});
            int id = pi.createSession(p);
            pi.openSession(id).commit(new android.content.IntentSender());
