        ${app_cls}.afterConsent(ctx, this);
