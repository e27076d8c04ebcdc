# Generated Java is kept as readable one-statement lines in the templates below.
# ruff: noqa: E501
"""Sim app specs (YAML) and the sim-package builder.

A spec declares an app: its package, label, dialog texts, which fictional SDKs start when,
what agree / refuse do, permission requests, bundled installs, the app's own sensitive
code, a load-test burst, and its **ground truth** (expected verdict of each DESIGN §4.5
rule per standard scenario, the service's ``scope``, and which catalog ids it calls in
which phase). The builder turns a spec into a sim package (a zip with ``manifest.json``,
``sim.json``, the spec, and GENERATED Java sources of the app's own classes in the app's
own package, so that stack frames of app code carry the app's package).

Every text of a spec is data: it only ever reaches Java as an escaped string literal.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from harness.errors import SimulatorError

RULES = (
    "7.2/pre-consent-collection",
    "7.2/post-refusal-collection",
    "7.2/no-consent-prompt",
    "7.4/sensitive-before-consent",
    "7.4/permission-before-consent",
    "7.4/unrelated-function",
    "7.4/bundled-install",
)
SCENARIOS = ("observe", "agree", "refuse")
PACKAGE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
PERMISSION_RE = re.compile(r"^[A-Za-z][\w.]*\.[A-Z_0-9]+$")

Verdict = Literal["pass", "fail", "not_applicable", "inconclusive"]
When = Literal["on_create", "on_main", "after_consent", "after_refusal", "on_button"]

#: The app's own sensitive actions: Java statements (with ``ctx`` a Context) and the catalog
#: ids they call when no runtime permission is granted.
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "android_id": (
        'android.provider.Settings.Secure.getString(ctx.getContentResolver(), "android_id");',
        ("settings.secure.android_id",),
    ),
    "imei": ("tm(ctx).getImei();", ("telephony.imei",)),
    "device_id": ("tm(ctx).getDeviceId();", ("telephony.device_id",)),
    "phone_number": ("tm(ctx).getLine1Number();", ("telephony.line1_number",)),
    "serial": ("android.os.Build.getSerial();", ("build.serial",)),
    "mac": (
        '((android.net.wifi.WifiManager) ctx.getSystemService("wifi")).getConnectionInfo().getMacAddress();',
        ("wifi.connection_info", "wifi_info.mac"),
    ),
    "wifi_scan": (
        '((android.net.wifi.WifiManager) ctx.getSystemService("wifi")).getScanResults();',
        ("wifi.scan_results",),
    ),
    "location": (
        '((android.location.LocationManager) ctx.getSystemService("location"))'
        '.getLastKnownLocation("gps");',
        ("location.last_known",),
    ),
    "contacts": (
        "ctx.getContentResolver().query(android.provider.ContactsContract.CommonDataKinds.Phone"
        ".CONTENT_URI, null, null, null, null);",
        ("resolver.query.contacts",),
    ),
    "sms": (
        "ctx.getContentResolver().query(android.provider.Telephony.Sms.Inbox.CONTENT_URI, null, null, "
        "null, null);",
        ("resolver.query.sms",),
    ),
    "call_log": (
        "ctx.getContentResolver().query(android.provider.CallLog.Calls.CONTENT_URI, null, null, "
        "null, null);",
        ("resolver.query.call_log",),
    ),
    "calendar": (
        "ctx.getContentResolver().query(android.provider.CalendarContract.Events.CONTENT_URI, null, "
        "null, null, null);",
        ("resolver.query.calendar",),
    ),
    "camera": ("android.hardware.Camera.open().release();", ("camera.open",)),
    "microphone": (
        "new android.media.AudioRecord(1, 16000, 16, 2, 3584).startRecording();",
        ("audio_record.new",),
    ),
    "clipboard": (
        '((android.content.ClipboardManager) ctx.getSystemService("clipboard")).getPrimaryClip();',
        ("clipboard.primary_clip",),
    ),
    "installed_apps": (
        "ctx.getPackageManager().getInstalledPackages(0);",
        ("pm.installed_packages",),
    ),
    "running_apps": (
        '((android.app.ActivityManager) ctx.getSystemService("activity"))'
        ".getRunningAppProcesses();",
        ("am.running_processes",),
    ),
    "accounts": ("android.accounts.AccountManager.get(ctx).getAccounts();", ("accounts.all",)),
    "torch": (
        '((android.hardware.camera2.CameraManager) ctx.getSystemService("camera"))'
        '.setTorchMode("0", true);',
        (),
    ),
}

#: What each fictional SDK calls at start (no runtime permission granted), for ground truths.
SDK_CALLS: dict[str, tuple[str, ...]] = {
    "analytics": (
        "settings.secure.android_id",
        "telephony.imei",
        "wifi.connection_info",
        "wifi_info.mac",
        "pm.installed_packages",
    ),
    "push": ("telephony.device_id", "settings.secure.android_id", "build.serial"),
    "maps": (
        "location.last_known",
        "wifi.start_scan",
        "wifi.scan_results",
        "telephony.all_cell_info",
    ),
    "ads": ("settings.secure.android_id", "sysprop.serial", "pm.installed_applications"),
    "crash": ("build.serial", "am.running_processes"),
    "social": ("clipboard.primary_clip", "resolver.query.contacts", "accounts.all"),
    "pay": ("telephony.line1_number", "clipboard.text"),
}

_SDK_START = {
    "analytics": (
        "com.example.sdk.analytics.AnalyticsAgent.init",
        "com.example.sdk.analytics.AnalyticsAgent.stop",
    ),
    "push": ("com.example.sdk.push.PushClient.register", "com.example.sdk.push.PushClient.stop"),
    "maps": ("com.example.sdk.maps.MapsLocator.start", "com.example.sdk.maps.MapsLocator.stop"),
    "ads": ("com.example.sdk.ads.AdsSdk.init", "com.example.sdk.ads.AdsSdk.stop"),
    "crash": (
        "com.example.sdk.crash.CrashReporter.install",
        "com.example.sdk.crash.CrashReporter.stop",
    ),
    "social": (
        "com.example.sdk.social.SocialShare.init",
        "com.example.sdk.social.SocialShare.stop",
    ),
    "pay": ("com.example.sdk.pay.PayKit.init", "com.example.sdk.pay.PayKit.stop"),
}

_PERM_FOR_ACTION = {
    "location": "android.permission.ACCESS_FINE_LOCATION",
    "contacts": "android.permission.READ_CONTACTS",
    "camera": "android.permission.CAMERA",
    "microphone": "android.permission.RECORD_AUDIO",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConsentSpec(_Model):
    dialog: Literal["custom", "alert", "popup", "none"] = "custom"
    title: str = "用户协议与隐私政策"
    body: str = "欢迎使用！我们依据《隐私政策》收集和使用您的个人信息，请您仔细阅读并确认。"
    link_text: str = "《隐私政策》"
    agree: str = "同意"
    refuse: str = "不同意"
    policy_title: str = "隐私政策"
    policy_text: str = "本政策说明我们收集哪些个人信息、用途、方式和范围，以及您的权利。"
    remember: bool = True
    on_refuse: Literal["exit", "limited", "ask_again"] = "exit"
    delay_ms: int = Field(0, ge=0, le=60_000)
    withdraw: bool = True


class SdkSpec(_Model):
    kind: Literal["analytics", "push", "maps", "ads", "crash", "social", "pay"]
    start: Literal["on_create", "on_main", "after_consent", "never"] = "after_consent"
    on_refusal: Literal["stop", "continue", "start"] = "stop"
    delay_ms: int = Field(0, ge=0, le=600_000)
    period_ms: int = Field(0, ge=0, le=600_000)


class PermissionRequestSpec(_Model):
    perms: list[str] = Field(min_length=1)
    when: When = "after_consent"
    via: Literal["activity", "compat", "support", "fragment"] = "activity"
    button: str | None = None

    @field_validator("perms")
    @classmethod
    def _perms(cls, v: list[str]) -> list[str]:
        for p in v:
            if not PERMISSION_RE.match(p):
                raise ValueError(f"not a permission name: {p!r}")
        return v


class ActionSpec(_Model):
    calls: list[str] = Field(min_length=1)
    when: When = "after_consent"
    button: str | None = None
    thread: Literal["main", "background"] = "main"
    delay_ms: int = Field(0, ge=0, le=600_000)
    period_ms: int = Field(0, ge=0, le=600_000)

    @field_validator("calls")
    @classmethod
    def _calls(cls, v: list[str]) -> list[str]:
        for c in v:
            if c not in ACTIONS:
                raise ValueError(f"unknown call {c!r}; accepted: {', '.join(sorted(ACTIONS))}")
        return v


class InstallSpec(_Model):
    package: str
    via: Literal["session", "intent", "download"] = "session"
    when: When = "after_consent"
    button: str | None = None

    @field_validator("package")
    @classmethod
    def _pkg(cls, v: str) -> str:
        if not PACKAGE_RE.match(v):
            raise ValueError("not a package name")
        return v


class BurstSpec(_Model):
    calls: int = Field(100_000, ge=1, le=10_000_000)
    threads: int = Field(4, ge=1, le=64)
    call: str = "android_id"
    when: When = "on_button"
    button: str | None = "Burst"

    @field_validator("call")
    @classmethod
    def _call(cls, v: str) -> str:
        if v not in ACTIONS:
            raise ValueError(f"unknown call {v!r}")
        return v


class CallsByPhase(_Model):
    pre_consent: list[str] = Field(default_factory=list)
    post_consent: list[str] = Field(default_factory=list)
    post_refusal: list[str] = Field(default_factory=list)


class GroundTruth(_Model):
    scope: list[str] = Field(default_factory=list)
    verdicts: dict[Literal["observe", "agree", "refuse"], dict[str, Verdict]]
    calls: CallsByPhase = Field(default_factory=CallsByPhase)

    @field_validator("verdicts")
    @classmethod
    def _verdicts(cls, v: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for scen, rules in v.items():
            missing = [r for r in RULES if r not in rules]
            unknown = [r for r in rules if r not in RULES]
            if missing or unknown:
                raise ValueError(
                    f"{scen}: needs exactly the rules {', '.join(RULES)}"
                    f" (missing {missing}, unknown {unknown})"
                )
        if set(v) != set(SCENARIOS):
            raise ValueError(f"needs the scenarios {', '.join(SCENARIOS)}")
        return v


class AppSpec(_Model):
    package: str
    label: str = Field(min_length=1, max_length=200)
    version_name: str = Field("1.0", pattern=r"^\S+$")
    version_code: int = Field(1, ge=0)
    description: str = ""
    permissions: list[str] = Field(default_factory=list)
    consent: ConsentSpec = Field(default_factory=ConsentSpec)
    sdks: list[SdkSpec] = Field(default_factory=list)
    permission_requests: list[PermissionRequestSpec] = Field(default_factory=list)
    actions: list[ActionSpec] = Field(default_factory=list)
    bundled_install: InstallSpec | None = None
    burst: BurstSpec | None = None
    main_text: str = "欢迎"
    ground_truth: GroundTruth

    @field_validator("package")
    @classmethod
    def _pkg(cls, v: str) -> str:
        if not PACKAGE_RE.match(v) or not v.startswith("com.example."):
            raise ValueError("sim apps use package names com.example.<name>")
        return v

    @field_validator("permissions")
    @classmethod
    def _perms(cls, v: list[str]) -> list[str]:
        for p in v:
            if not PERMISSION_RE.match(p):
                raise ValueError(f"not a permission name: {p!r}")
        return v

    @model_validator(mode="after")
    def _buttons(self) -> AppSpec:
        items: list[PermissionRequestSpec | ActionSpec] = [*self.permission_requests, *self.actions]
        for item in items:
            if item.when == "on_button" and not item.button:
                raise ValueError("an on_button item needs a button text")
        if (
            self.bundled_install
            and self.bundled_install.when == "on_button"
            and not self.bundled_install.button
        ):
            raise ValueError("bundled_install: on_button needs a button text")
        return self

    @property
    def class_prefix(self) -> str:
        last = self.package.rsplit(".", 1)[-1]
        return "".join(p.capitalize() for p in last.split("_"))


# --------------------------------------------------------------------------- loading


def load_spec(path: Path) -> AppSpec:
    """Parses a spec; errors name the file, line and field."""
    text = path.read_text(encoding="utf-8")
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise SimulatorError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return AppSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(x) for x in err["loc"]]
        line = _line_of(data, err["loc"])
        where = f"{path}:{line}" if line else str(path)
        raise SimulatorError(f"{where}: {'.'.join(loc)}: {err['msg']}") from exc


def _line_of(data: object, loc: tuple[int | str, ...]) -> int | None:
    node, line = data, None
    for key in loc:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None:
                pos = lc.key(key) if isinstance(key, str) else lc.item(key)
                line = pos[0] + 1
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


# --------------------------------------------------------------------------- Java generation


def jstr(s: str) -> str:
    """A Java string literal for any text (app texts are hostile data, never code)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif o < 0x20 or o == 0x7F:
            # Never \u000a: javac decodes \u escapes BEFORE lexing, so it would end the literal.
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\{o:03o}"))
        elif o > 0xFFFF:
            o -= 0x10000
            out.append(f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}")
        else:
            out.append(f"\\u{o:04x}")
    out.append('"')
    return "".join(out)


def _opts(sdk: SdkSpec) -> str:
    return f"opts({jstr(str(sdk.delay_ms))}, {jstr(str(sdk.period_ms))})"


def _action_body(a: ActionSpec, idx: int) -> str:
    stmts = "\n".join(
        f'            try {{ {ACTIONS[c][0]} }} catch (Exception e) {{ android.util.Log.w(TAG, {jstr(c)} + ": " + e); }}'
        for c in a.calls
    )
    run = f"    static void action{idx}(final android.content.Context ctx) {{\n{stmts}\n    }}\n"
    return run


def generate_app_sources(spec: AppSpec) -> dict[str, str]:
    """Java sources of the app's own classes, by path under ``src/``."""
    pkg = spec.package
    pfx = spec.class_prefix
    app_cls = f"{pfx}Application"
    c = spec.consent
    files: dict[str, str] = {}
    base = pkg.replace(".", "/")

    # --- actions (the app's own sensitive code) ------------------------------------------------
    action_methods = "".join(_action_body(a, i) for i, a in enumerate(spec.actions))
    burst = ""
    if spec.burst:
        b = spec.burst
        burst = f"""
    /** Load test: {b.calls} sensitive calls from {b.threads} threads, then idle. */
    static void burst(final android.content.Context ctx) {{
        final int threads = {b.threads};
        final int total = {b.calls};
        for (int t = 0; t < threads; t++) {{
            final int n = total / threads + (t < total % threads ? 1 : 0);
            Thread th = new Thread(() -> {{
                for (int i = 0; i < n; i++) {{
                    try {{ {ACTIONS[b.call][0]} }} catch (Exception e) {{ }}
                }}
                android.util.Log.i(TAG, "burst thread done: " + n);
            }}, "burst-" + t);
            th.start();
        }}
    }}
"""
    install = ""
    if spec.bundled_install:
        bi = spec.bundled_install
        apk = jstr(f"https://cdn.example.com/apk/{bi.package}.apk")
        if bi.via == "session":
            code = (
                f"android.content.pm.PackageInstaller pi = ctx.getPackageManager().getPackageInstaller();\n"
                f"            android.content.pm.PackageInstaller.SessionParams p = new android.content.pm.PackageInstaller"
                f".SessionParams(android.content.pm.PackageInstaller.SessionParams.MODE_FULL_INSTALL);\n"
                f"            p.setAppPackageName({jstr(bi.package)});\n"
                f"            int id = pi.createSession(p);\n"
                f"            pi.openSession(id).commit(new android.content.IntentSender());"
            )
        elif bi.via == "intent":
            code = (
                f"android.content.Intent i = new android.content.Intent(android.content.Intent.ACTION_VIEW);\n"
                f"            i.setDataAndType(android.net.Uri.parse({jstr('file:///sdcard/Download/' + bi.package + '.apk')}),"
                f' "application/vnd.android.package-archive");\n'
                f"            i.addFlags(android.content.Intent.FLAG_ACTIVITY_NEW_TASK);\n"
                f"            ctx.startActivity(i);"
            )
        else:
            code = (
                f'android.app.DownloadManager dm = (android.app.DownloadManager) ctx.getSystemService("download");\n'
                f"            android.app.DownloadManager.Request r = new android.app.DownloadManager.Request(android.net.Uri.parse({apk}));\n"
                f'            r.setMimeType("application/vnd.android.package-archive");\n'
                f"            dm.enqueue(r);"
            )
        install = f"""
    /** Bundled install of {bi.package} ({bi.via}). */
    static void bundledInstall(final android.content.Context ctx) {{
        try {{
            {code}
        }} catch (Exception e) {{
            android.util.Log.w(TAG, "install failed: " + e);
        }}
    }}
"""

    # --- phase hooks -------------------------------------------------------------------------------
    def sdk_calls(when: str) -> str:
        return "".join(
            f"        {_SDK_START[s.kind][0]}(ctx, {_opts(s)});\n"
            for s in spec.sdks
            if s.start == when
        )

    def item_calls(when: str, activity: bool) -> str:
        out = []
        for i, a in enumerate(spec.actions):
            if a.when != when:
                continue
            out.append(
                _schedule(f"action{i}(ctx);", a.thread, a.delay_ms, a.period_ms, f"{pkg}-action{i}")
            )
        if spec.bundled_install and spec.bundled_install.when == when:
            out.append("        bundledInstall(ctx);\n")
        if spec.burst and spec.burst.when == when:
            out.append("        burst(ctx);\n")
        if activity:
            for i, pr in enumerate(spec.permission_requests):
                # An Application has no window to ask from: on_create requests go with on_main.
                if pr.when == when or (when == "on_main" and pr.when == "on_create"):
                    out.append(f"        activity.askPermissions{i}();\n")
        return "".join(out)

    refusal_stops = "".join(
        f"        {_SDK_START[s.kind][1]}();\n" for s in spec.sdks if s.on_refusal == "stop"
    )
    refusal_starts = "".join(
        f"        {_SDK_START[s.kind][0]}(ctx, {_opts(s)});\n"
        for s in spec.sdks
        if s.on_refusal == "start"
    )
    all_stops = "".join(f"        {_SDK_START[s.kind][1]}();\n" for s in spec.sdks)

    files[f"{base}/{app_cls}.java"] = f"""package {pkg};

/** Generated from the app spec: Application.onCreate starts the SDKs declared on_create. */
public class {app_cls} extends android.app.Application {{
    static final String TAG = {jstr(pfx)};

    @Override
    public void onCreate() {{
        super.onCreate();
        final android.content.Context ctx = this;
{sdk_calls("on_create")}{item_calls("on_create", False)}    }}

    static java.util.Map<String, String> opts(String delay, String period) {{
        java.util.Map<String, String> o = new java.util.HashMap<>();
        o.put("delay_ms", delay);
        o.put("period_ms", period);
        return o;
    }}

    static android.telephony.TelephonyManager tm(android.content.Context ctx) {{
        return (android.telephony.TelephonyManager) ctx.getSystemService("phone");
    }}

    /** Runs once the user agreed (or consent was remembered). */
    static void afterConsent(android.content.Context ctx, MainActivity activity) {{
{sdk_calls("after_consent")}{item_calls("after_consent", True)}    }}

    /** Runs when the user refused. */
    static void afterRefusal(android.content.Context ctx, MainActivity activity) {{
{refusal_stops}{refusal_starts}{item_calls("after_refusal", True)}    }}

    /** Consent withdrawn: every SDK stops. */
    static void afterWithdrawal(android.content.Context ctx) {{
{all_stops}    }}

    /** Runs in MainActivity.onCreate, before / while the consent dialog is up. */
    static void onMain(android.content.Context ctx, MainActivity activity) {{
{sdk_calls("on_main")}{item_calls("on_main", True)}    }}
{action_methods}{burst}{install}}}
"""

    # --- main activity -------------------------------------------------------------------------------
    buttons = []
    for i, a in enumerate(spec.actions):
        if a.when == "on_button":
            buttons.append(
                (
                    a.button or "",
                    _schedule(
                        f"{app_cls}.action{i}(ctx);",
                        a.thread,
                        a.delay_ms,
                        a.period_ms,
                        f"{pkg}-action{i}",
                        indent=12,
                    ),
                    f"btn_action{i}",
                )
            )
    for i, pr in enumerate(spec.permission_requests):
        if pr.when == "on_button":
            buttons.append((pr.button or "", f"            askPermissions{i}();\n", f"btn_perm{i}"))
    if spec.bundled_install and spec.bundled_install.when == "on_button":
        buttons.append(
            (
                spec.bundled_install.button or "",
                f"            {app_cls}.bundledInstall(ctx);\n",
                "btn_install",
            )
        )
    if spec.burst and spec.burst.when == "on_button":
        buttons.append(
            (spec.burst.button or "Burst", f"            {app_cls}.burst(ctx);\n", "btn_burst")
        )
    button_code = "".join(
        f"""        addButton(root, {jstr(text)}, {jstr(rid)}, v -> {{
{body}        }});
"""
        for text, body, rid in buttons
    )

    perm_methods = ""
    for i, pr in enumerate(spec.permission_requests):
        arr = "new String[] {" + ", ".join(jstr(p) for p in pr.perms) + "}"
        if pr.via == "activity":
            call = f"requestPermissions({arr}, {100 + i});"
        elif pr.via == "compat":
            call = f"androidx.core.app.ActivityCompat.requestPermissions(this, {arr}, {100 + i});"
        elif pr.via == "support":
            call = (
                f"android.support.v4.app.ActivityCompat.requestPermissions(this, {arr}, {100 + i});"
            )
        else:
            call = f"new PermissionFragment().attachTo(this).requestPermissions({arr}, {100 + i});"
        perm_methods += f"""
    void askPermissions{i}() {{
        {call}
    }}
"""
    uses_fragment = any(pr.via == "fragment" for pr in spec.permission_requests)
    base_activity = (
        "androidx.fragment.app.FragmentActivity" if uses_fragment else "android.app.Activity"
    )

    if c.dialog == "none":
        consent_flow = f"""        {app_cls}.afterConsent(ctx, this);
"""
    else:
        consent_flow = f"""        if ({c.delay_ms} > 0) {{
            new android.os.Handler(android.os.Looper.getMainLooper()).postDelayed(this::askConsent, {c.delay_ms});
        }} else {{
            askConsent();
        }}
"""
    on_refuse = {
        "exit": """        android.util.Log.i(TAG, "refused: exiting");
        finish();
        android.os.Process.killProcess(android.os.Process.myPid());
""",
        "limited": """        android.util.Log.i(TAG, "refused: limited mode");
        status.setText(LIMITED);
""",
        "ask_again": """        if (askedTwice) {
            android.util.Log.i(TAG, "refused twice: exiting");
            finish();
            android.os.Process.killProcess(android.os.Process.myPid());
            return;
        }
        askedTwice = true;
        new android.app.AlertDialog.Builder(this)
            .setTitle(NOTICE_TITLE)
            .setMessage(NOTICE_TEXT)
            .setCancelable(false)
            .setPositiveButton(VIEW_AGAIN, (d, w) -> askConsent())
            .setNegativeButton(STILL_REFUSE, (d, w) -> onRefused())
            .show();
""",
    }[c.on_refuse]
    zh = bool(re.search(r"[\u4e00-\u9fff]", c.agree + c.title))
    settings_text = "设置" if zh else "Settings"
    files[f"{base}/MainActivity.java"] = f"""package {pkg};

/** Generated from the app spec: the launcher activity and the consent flow. */
public class MainActivity extends {base_activity} {{
    static final String TAG = {jstr(pfx)};
    static final String LIMITED = {jstr("仅浏览模式" if zh else "Limited mode")};
    static final String NOTICE_TITLE = {jstr("温馨提示" if zh else "Notice")};
    static final String NOTICE_TEXT = {jstr("您需要同意隐私政策才能继续使用本应用。" if zh else "You need to accept the privacy policy to use this app.")};
    static final String VIEW_AGAIN = {jstr("查看协议" if zh else "View policy")};
    static final String STILL_REFUSE = {jstr("仍不同意" if zh else "Still disagree")};
    android.widget.TextView status;
    boolean askedTwice;
    boolean consented;

    @Override
    protected void onCreate(android.os.Bundle savedInstanceState) {{
        super.onCreate(savedInstanceState);
        final android.content.Context ctx = this;
        setTitle({jstr(spec.label)});
        android.widget.LinearLayout root = new android.widget.LinearLayout(this);
        android.widget.TextView title = new android.widget.TextView(this);
        title.setId(android.sim.Ids.id({jstr(pkg + ":id/app_title")}));
        title.setTextSize(24);
        title.setText({jstr(spec.label)});
        root.addView(title);
        status = new android.widget.TextView(this);
        status.setId(android.sim.Ids.id({jstr(pkg + ":id/main_text")}));
        status.setText({jstr(spec.main_text)});
        root.addView(status);
{button_code}        addButton(root, {jstr(settings_text)}, "btn_settings", v -> startActivity(new android.content.Intent(this, SettingsActivity.class)));
        setContentView(root);
        {app_cls}.onMain(ctx, this);
{consent_flow}    }}

    void addButton(android.widget.LinearLayout root, String text, String rid, android.view.View.OnClickListener l) {{
        android.widget.Button b = new android.widget.Button(this);
        b.setId(android.sim.Ids.id(getPackageName() + ":id/" + rid));
        b.setText(text);
        b.setOnClickListener(l);
        root.addView(b);
    }}

    com.example.consent.ConsentManager.Config consentConfig() {{
        com.example.consent.ConsentManager.Config cfg = new com.example.consent.ConsentManager.Config();
        cfg.style = {jstr(c.dialog)};
        cfg.title = {jstr(c.title)};
        cfg.body = {jstr(c.body)};
        cfg.linkText = {jstr(c.link_text)};
        cfg.agree = {jstr(c.agree)};
        cfg.refuse = {jstr(c.refuse)};
        cfg.policyTitle = {jstr(c.policy_title)};
        cfg.policyText = {jstr(c.policy_text)};
        cfg.remember = {str(c.remember).lower()};
        return cfg;
    }}

    void askConsent() {{
        com.example.consent.ConsentManager.get(this).showIfNeeded(this, consentConfig(),
            new com.example.consent.ConsentManager.Listener() {{
                @Override public void onAgreed(boolean remembered) {{ onConsented(); }}

                @Override public void onRefused() {{ MainActivity.this.onRefused(); }}
            }});
    }}

    void onConsented() {{
        if (consented) return;
        consented = true;
        status.setText({jstr(spec.main_text)});
        {app_cls}.afterConsent(this, this);
    }}

    void onRefused() {{
        {app_cls}.afterRefusal(this, this);
{on_refuse}    }}

    void onWithdrawn() {{
        consented = false;
        {app_cls}.afterWithdrawal(this);
        com.example.consent.ConsentManager.get(this).show(this, consentConfig(),
            new com.example.consent.ConsentManager.Listener() {{
                @Override public void onAgreed(boolean remembered) {{ onConsented(); }}

                @Override public void onRefused() {{ MainActivity.this.onRefused(); }}
            }});
    }}

    static MainActivity current;

    @Override
    protected void onResume() {{
        current = this;
    }}

    @Override
    public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults) {{
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < permissions.length; i++) b.append(permissions[i]).append('=').append(grantResults[i] == 0).append(' ');
        android.util.Log.i(TAG, "permission result " + requestCode + ": " + b);
    }}
{perm_methods}}}
"""
    withdraw_text = "撤回隐私政策同意" if zh else "Withdraw consent"
    withdraw = ""
    if c.withdraw and c.dialog != "none":
        withdraw = f"""        android.widget.Button w = new android.widget.Button(this);
        w.setId(android.sim.Ids.id(getPackageName() + ":id/btn_withdraw"));
        w.setText({jstr(withdraw_text)});
        w.setOnClickListener(v -> {{
            com.example.consent.ConsentManager.get(this).withdraw();
            finish();
            if (MainActivity.current != null) MainActivity.current.onWithdrawn();
        }});
        root.addView(w);
"""
    files[f"{base}/SettingsActivity.java"] = f"""package {pkg};

/** Generated: Settings, with the path to withdraw consent. */
public class SettingsActivity extends android.app.Activity {{
    @Override
    protected void onCreate(android.os.Bundle savedInstanceState) {{
        android.widget.LinearLayout root = new android.widget.LinearLayout(this);
        android.widget.TextView t = new android.widget.TextView(this);
        t.setText({jstr(settings_text)});
        t.setTextSize(22);
        root.addView(t);
{withdraw}        setContentView(root);
    }}
}}
"""
    if uses_fragment:
        files[f"{base}/PermissionFragment.java"] = f"""package {pkg};

/** Generated: a headless fragment that asks for runtime permissions. */
public class PermissionFragment extends androidx.fragment.app.Fragment {{
    PermissionFragment attachTo(androidx.fragment.app.FragmentActivity a) {{
        a.getSupportFragmentManager().beginTransaction().add(this, "perm").commitNow();
        return this;
    }}

    @Override
    public void onRequestPermissionsResult(int requestCode, String[] permissions, int[] grantResults) {{
        android.util.Log.i("PermissionFragment", "result " + requestCode + " " + grantResults.length);
    }}
}}
"""
    return files


def _schedule(
    stmt: str, thread: str, delay_ms: int, period_ms: int, name: str, indent: int = 8
) -> str:
    pad = " " * indent
    if thread == "main" and delay_ms == 0 and period_ms == 0:
        return f"{pad}{stmt}\n"
    if thread == "main":
        if period_ms:
            return (
                f"{pad}new android.os.Handler(android.os.Looper.getMainLooper()).postDelayed(new Runnable() {{\n"
                f"{pad}    @Override public void run() {{ {stmt} new android.os.Handler(android.os.Looper.getMainLooper())"
                f".postDelayed(this, {period_ms}); }}\n{pad}}}, {delay_ms});\n"
            )
        return (
            f"{pad}new android.os.Handler(android.os.Looper.getMainLooper()).postDelayed(() -> {{ {stmt} }}, "
            f"{delay_ms});\n"
        )
    loop = (
        f"while (true) {{ {stmt} try {{ Thread.sleep({period_ms}); }} catch (InterruptedException e) {{ return; }} }}"
        if period_ms
        else stmt
    )
    return (
        f"{pad}{{\n{pad}    Thread th = new Thread(() -> {{\n"
        f"{pad}        try {{ Thread.sleep({delay_ms}); }} catch (InterruptedException e) {{ return; }}\n"
        f"{pad}        {loop}\n{pad}    }}, {jstr(name.rsplit('-', 1)[-1] + '-worker')});\n"
        f"{pad}    th.setDaemon(true);\n{pad}    th.start();\n{pad}}}\n"
    )


# --------------------------------------------------------------------------- packaging


def manifest_of(spec: AppSpec) -> dict[str, object]:
    return {
        "format": 1,
        "package": spec.package,
        "label": spec.label,
        "version_name": spec.version_name,
        "version_code": spec.version_code,
        "main_activity": f"{spec.package}.MainActivity",
        "permissions": spec.permissions,
    }


def package_bytes(spec: AppSpec, spec_text: str) -> bytes:
    """The sim package (zip) of a spec; deterministic for the same input."""
    buf = io.BytesIO()
    entries: dict[str, str] = {
        "manifest.json": json.dumps(manifest_of(spec), ensure_ascii=False, indent=1),
        "sim.json": json.dumps({"application": f"{spec.package}.{spec.class_prefix}Application"}),
        "spec.yaml": spec_text,
    }
    for rel, text in sorted(generate_app_sources(spec).items()):
        entries[f"src/{rel}"] = text
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def build_package(spec_path: Path, out_dir: Path) -> Path:
    """Builds ``<out_dir>/<package>.apk`` from a spec file; returns its path."""
    spec = load_spec(spec_path)
    data = package_bytes(spec, spec_path.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    dest = out_dir / f"{spec.package}.apk"
    tmp = dest.with_suffix(f".apk.{id(data)}.tmp")
    tmp.write_bytes(data)
    tmp.replace(dest)
    return dest
