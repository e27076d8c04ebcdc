# Named actions are kept as one readable Java statement per line.
# ruff: noqa: E501
"""Sim app specs (YAML): what an app of the simulated device does, as data.

A spec declares an app: its package, label, dialog texts, which fictional SDKs start when,
what agree / refuse do, permission requests, bundled installs, the app's own sensitive
code — named actions, or free-form calls of any method of the simulator's Android API
surface (``invoke``) — and a load-test burst. Its ``ground_truth`` (expected verdicts per
standard scenario, the service's scope) is carried as opaque data for the test bed: the
simulator never interprets it (it knows no rule ids; the harness's tests check them).

Every text of a spec is data: it only ever reaches Java as an escaped string literal.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from harness.sim.errors import SimulatorError

PACKAGE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
PERMISSION_RE = re.compile(r"^[A-Za-z][\w.]*\.[A-Z_0-9]+$")
#: A surface method: binary class name ('$' for nested classes) + '.' + method ('$init').
API_RE = re.compile(r"^[a-z][\w]*(\.[\w$]+)+\.(\$init|[a-zA-Z_]\w*)$")
TYPE_RE = re.compile(r"^[\w.$]+(\[\])*$")

When = Literal["on_create", "on_main", "after_consent", "after_refusal", "on_button"]

#: Named actions (shorthands of the spec language): Java statements with ``ctx`` a Context.
#: Each names, in its comment-free form, the surface methods it calls.
ACTIONS: dict[str, str] = {
    "android_id": 'android.provider.Settings.Secure.getString(ctx.getContentResolver(), "android_id");',
    "imei": "tm(ctx).getImei();",
    "device_id": "tm(ctx).getDeviceId();",
    "phone_number": "tm(ctx).getLine1Number();",
    "serial": "android.os.Build.getSerial();",
    "mac": '((android.net.wifi.WifiManager) ctx.getSystemService("wifi")).getConnectionInfo().getMacAddress();',
    "wifi_scan": '((android.net.wifi.WifiManager) ctx.getSystemService("wifi")).getScanResults();',
    "location": '((android.location.LocationManager) ctx.getSystemService("location")).getLastKnownLocation("gps");',
    "contacts": "ctx.getContentResolver().query(android.provider.ContactsContract.CommonDataKinds.Phone.CONTENT_URI, null, null, null, null);",
    "sms": "ctx.getContentResolver().query(android.provider.Telephony.Sms.Inbox.CONTENT_URI, null, null, null, null);",
    "call_log": "ctx.getContentResolver().query(android.provider.CallLog.Calls.CONTENT_URI, null, null, null, null);",
    "calendar": "ctx.getContentResolver().query(android.provider.CalendarContract.Events.CONTENT_URI, null, null, null, null);",
    "camera": "android.hardware.Camera.open().release();",
    "microphone": "new android.media.AudioRecord(1, 16000, 16, 2, 3584).startRecording();",
    "clipboard": '((android.content.ClipboardManager) ctx.getSystemService("clipboard")).getPrimaryClip();',
    "installed_apps": "ctx.getPackageManager().getInstalledPackages(0);",
    "running_apps": '((android.app.ActivityManager) ctx.getSystemService("activity")).getRunningAppProcesses();',
    "accounts": "android.accounts.AccountManager.get(ctx).getAccounts();",
    "torch": '((android.hardware.camera2.CameraManager) ctx.getSystemService("camera")).setTorchMode("0", true);',
}

SDK_KINDS = ("analytics", "push", "maps", "ads", "crash", "social", "pay")

#: An argument of a free-form call: a JSON scalar, or a typed value.
Arg = str | int | float | bool | None | dict[str, Any]
_ARG_KINDS = {"uri", "context", "resolver", "long", "float", "double", "short", "byte",
              "strings", "object"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConsentSpec(_Model):
    dialog: Literal["custom", "alert", "popup", "none"] = "custom"
    title: str = "用户协议与隐私政策"
    body: str = "欢迎使用！我们依据《隐私政策》收集和使用您的个人信息，请您仔细阅读并确认。"
    link_text: str = "《隐私政策》"
    agree: str = "同意"
    #: None: the dialog offers no way to refuse (an implicit-consent violation)
    refuse: str | None = "不同意"
    #: a "我已阅读并同意…" checkbox in the dialog; agree does nothing until it is ticked
    checkbox: str | None = None
    #: the checkbox starts ticked (a pre-ticked consent box, an implicit-consent violation)
    checkbox_checked: bool = False
    policy_title: str = "隐私政策"
    policy_text: str = "本政策说明我们收集哪些个人信息、用途、方式和范围，以及您的权利。"
    remember: bool = True
    on_refuse: Literal["exit", "limited", "ask_again"] = "exit"
    #: A refusal is stored (SharedPreferences, with its time) and, for this many hours, a
    #: launch goes straight to the basic mode without the dialog. 0: a refusal is
    #: forgotten, the dialog comes back at every launch (a re-asking violation, 认定方法 三.2).
    remember_refusal_hours: int = Field(0, ge=0, le=24 * 366)
    #: After a refusal, the dialog is shown again this many ms later in the same session
    #: (0: never) — the nagging kind of re-asking.
    reask_after_ms: int = Field(0, ge=0, le=600_000)
    delay_ms: int = Field(0, ge=0, le=60_000)
    withdraw: bool = True

    @model_validator(mode="after")
    def _checkbox_needs_layout(self) -> ConsentSpec:
        if self.checkbox is not None and self.dialog not in ("custom", "popup"):
            raise ValueError("consent.checkbox needs dialog: custom or popup")
        return self

    @model_validator(mode="after")
    def _refusal_needs_basic_mode(self) -> ConsentSpec:
        # Only an app that stays open after a refusal has a basic mode to start in (a
        # remembered refusal) or a session in which to ask again.
        for name in ("remember_refusal_hours", "reask_after_ms"):
            if getattr(self, name) and (self.dialog == "none" or self.on_refuse != "limited"):
                raise ValueError(f"consent.{name} needs on_refuse: limited and a dialog")
        return self


class SdkSpec(_Model):
    kind: Literal["analytics", "push", "maps", "ads", "crash", "social", "pay"]
    start: Literal["on_create", "on_main", "after_consent", "never"] = "after_consent"
    on_refusal: Literal["stop", "continue", "start"] = "stop"
    delay_ms: int = Field(0, ge=0, le=600_000)
    period_ms: int = Field(0, ge=0, le=600_000)
    #: What the SDK sends of what it collected to its vendor's collector (a loopback server
    #: in the app process): nothing, over plain TCP, over TLS, or both (analytics only).
    send: Literal["none", "plain", "tls", "both"] = "none"
    #: The SDK runs in a process of its own (``android:process=":push"`` on its service, as
    #: push SDKs do): the app starts the service (``Context.startService``) at ``start`` and
    #: the device starts ``<package>:push`` for it. The SDK collects there, independently of
    #: the app's process: what the user decides in the app does not reach it.
    process: str | None = Field(None, pattern=r"^:[a-z][a-z0-9_]{0,30}$")

    @model_validator(mode="after")
    def _send_kind(self) -> SdkSpec:
        if self.send != "none" and self.kind != "analytics":
            raise ValueError(f"send: only the analytics SDK sends what it collects, not {self.kind}")
        return self

    @model_validator(mode="after")
    def _process_kind(self) -> SdkSpec:
        if self.process is not None:
            if self.kind != "push":
                raise ValueError(f"process: only the push SDK has a service of its own, not {self.kind}")
            if self.on_refusal != "continue":
                # the SDK's process never hears of the user's decision in the app's process
                raise ValueError("an SDK in its own process keeps running: say on_refusal: continue")
        return self


def _check_perms(v: list[str]) -> list[str]:
    for p in v:
        if not PERMISSION_RE.match(p):
            raise ValueError(f"not a permission name: {p!r}")
    return v


class PermissionRequestSpec(_Model):
    perms: list[str] = Field(min_length=1)
    when: When = "after_consent"
    via: Literal["activity", "compat", "support", "fragment"] = "activity"
    button: str | None = None

    @field_validator("perms")
    @classmethod
    def _perms(cls, v: list[str]) -> list[str]:
        return _check_perms(v)


class InvokeSpec(_Model):
    """One free-form call of a surface method, e.g.
    ``{api: android.telephony.TelephonyManager.getImei, args: [0]}``.

    ``params`` (Java types, Frida's spelling) pins an overload; without it the first
    overload whose parameters accept ``args`` is taken. Instance methods are called on the
    object Android would hand the app (the system service, the ContentResolver…).
    Typed arguments: ``{uri: "content://…"}``, ``{context: true}``, ``{resolver: true}``,
    ``{long: 5}``, ``{float: 1.5}``, ``{double: 1.5}``, ``{strings: [..]}``, ``{object: null}``.
    """

    api: str
    args: list[Arg] = Field(default_factory=list)
    params: list[str] | None = None

    @field_validator("api")
    @classmethod
    def _api(cls, v: str) -> str:
        if not API_RE.match(v):
            raise ValueError("expected <binary class name>.<method>, e.g. "
                             "android.telephony.TelephonyManager.getImei")
        return v

    @field_validator("params")
    @classmethod
    def _params(cls, v: list[str] | None) -> list[str] | None:
        for t in v or []:
            if not TYPE_RE.match(t):
                raise ValueError(f"not a Java type: {t!r}")
        return v

    @field_validator("args")
    @classmethod
    def _args(cls, v: list[Arg]) -> list[Arg]:
        for a in v:
            if isinstance(a, dict) and (len(a) != 1 or next(iter(a)) not in _ARG_KINDS):
                raise ValueError(f"a typed argument is one of {sorted(_ARG_KINDS)}: {a!r}")
        return v

    @model_validator(mode="after")
    def _arity(self) -> InvokeSpec:
        if self.params is not None and len(self.params) != len(self.args):
            raise ValueError(f"{len(self.params)} params but {len(self.args)} args")
        return self


class ActionSpec(_Model):
    calls: list[str] = Field(default_factory=list)
    invoke: list[InvokeSpec] = Field(default_factory=list)
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

    @model_validator(mode="after")
    def _some(self) -> ActionSpec:
        if not self.calls and not self.invoke:
            raise ValueError("an action needs calls (named actions) or invoke (surface methods)")
        return self


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


class GroundTruth(BaseModel):
    """The test bed's expectations, carried and never interpreted by the simulator."""

    model_config = ConfigDict(extra="allow")

    scope: list[str] = Field(default_factory=list)
    verdicts: dict[str, dict[str, str]] = Field(default_factory=dict)


class AppSpec(_Model):
    package: str
    label: str = Field(min_length=1, max_length=200)
    version_name: str = Field("1.0", pattern=r"^\S+$")
    version_code: int = Field(1, ge=0)
    description: str = ""
    permissions: list[str] = Field(default_factory=list)
    #: android:debuggable (a debug build); false: a release build, which a user build of
    #: Android (the ``google`` profile) starts without waiting for a debugger.
    debuggable: bool = True
    consent: ConsentSpec = Field(default_factory=ConsentSpec)
    sdks: list[SdkSpec] = Field(default_factory=list)
    permission_requests: list[PermissionRequestSpec] = Field(default_factory=list)
    actions: list[ActionSpec] = Field(default_factory=list)
    bundled_install: InstallSpec | None = None
    burst: BurstSpec | None = None
    main_text: str = "欢迎"
    ground_truth: GroundTruth = Field(default_factory=GroundTruth)
    #: An animated splash ad of this many milliseconds before the app's screen and its
    #: consent flow (0: none); ``uiautomator dump`` cannot get an idle state while it runs.
    splash_ms: int = Field(0, ge=0, le=60_000)

    @field_validator("package")
    @classmethod
    def _pkg(cls, v: str) -> str:
        if not PACKAGE_RE.match(v) or not v.startswith("com.example."):
            raise ValueError("sim apps use package names com.example.<name>")
        return v

    @field_validator("permissions")
    @classmethod
    def _perms(cls, v: list[str]) -> list[str]:
        return _check_perms(v)

    @model_validator(mode="after")
    def _one_sdk_per_process(self) -> AppSpec:
        names = [s.process for s in self.sdks if s.process is not None]
        if len(names) != len(set(names)):
            raise ValueError("two SDKs in one process: give each its own process name")
        if sum(1 for s in self.sdks if s.process is not None) > 1:
            raise ValueError("one SDK process per app (the push SDK's service)")
        return self

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
