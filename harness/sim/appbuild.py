# Generated Java is kept as readable one-statement lines.
# ruff: noqa: E501
"""The sim-package builder: an app spec (``appspec.py``) becomes a sim package.

A sim package is a zip with ``manifest.json``, ``sim.json``, the spec, and GENERATED Java
sources of the app's own classes in the app's own package (so that stack frames of app code
carry the app's package). The Java lives in template files (``apps/templates/``); this
module only fills their ``${…}`` slots. Every text of a spec is data: it only ever reaches
Java as an escaped string literal (:func:`jstr`).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from string import Template

from harness.sim.appspec import (
    ACTIONS,
    ActionSpec,
    AppSpec,
    InvokeSpec,
    SdkSpec,
    load_spec,
)

__all__ = ["AppSpec", "build_package", "generate_app_sources", "jstr", "load_spec",
           "package_bytes", "TEMPLATES"]

TEMPLATES = Path(__file__).resolve().parent / "apps" / "templates"

_SDK_START = {
    "analytics": ("com.example.sdk.analytics.AnalyticsAgent.init",
                  "com.example.sdk.analytics.AnalyticsAgent.stop"),
    "push": ("com.example.sdk.push.PushClient.register", "com.example.sdk.push.PushClient.stop"),
    "maps": ("com.example.sdk.maps.MapsLocator.start", "com.example.sdk.maps.MapsLocator.stop"),
    "ads": ("com.example.sdk.ads.AdsSdk.init", "com.example.sdk.ads.AdsSdk.stop"),
    "crash": ("com.example.sdk.crash.CrashReporter.install",
              "com.example.sdk.crash.CrashReporter.stop"),
    "social": ("com.example.sdk.social.SocialShare.init", "com.example.sdk.social.SocialShare.stop"),
    "pay": ("com.example.sdk.pay.PayKit.init", "com.example.sdk.pay.PayKit.stop"),
}


def _tmpl(name: str, **slots: str) -> str:
    """A template file with every ``${slot}`` filled (a missing slot is a KeyError)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return Template(text).substitute(slots)


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
    base = f"opts({jstr(str(sdk.delay_ms))}, {jstr(str(sdk.period_ms))})"
    if sdk.send == "none":
        return base
    return f"android.sim.SdkOptions.with({base}, \"send\", {jstr(sdk.send)})"


def invoke_stmt(inv: InvokeSpec) -> str:
    """A free-form call: the surface method and its arguments travel as one JSON literal that
    ``android.sim.Invoke`` resolves against the class path (receiver, overload, argument types)."""
    call = json.dumps({"api": inv.api, "params": inv.params, "args": inv.args},
                      ensure_ascii=False, sort_keys=True)
    return f"android.sim.Invoke.call(ctx, {jstr(call)});"


def _action_body(a: ActionSpec, idx: int) -> str:
    stmts = [(c, ACTIONS[c]) for c in a.calls] + [(i.api, invoke_stmt(i)) for i in a.invoke]
    body = "\n".join(
        f"            try {{ {stmt} }} catch (Exception e) {{ android.util.Log.w(TAG, {jstr(name)} + \": \" + e); }}"
        for name, stmt in stmts
    )
    return _tmpl("action.part.java", idx=str(idx), stmts=body)


def _schedule(
    stmt: str, thread: str, delay_ms: int, period_ms: int, name: str, indent: int = 8
) -> str:
    pad = " " * indent
    if thread == "main" and delay_ms == 0 and period_ms == 0:
        return f"{pad}{stmt}\n"
    handler = "new android.os.Handler(android.os.Looper.getMainLooper())"
    if thread == "main":
        if period_ms:
            return (
                f"{pad}{handler}.postDelayed(new Runnable() {{\n"
                f"{pad}    @Override public void run() {{ {stmt} {handler}"
                f".postDelayed(this, {period_ms}); }}\n{pad}}}, {delay_ms});\n"
            )
        return f"{pad}{handler}.postDelayed(() -> {{ {stmt} }}, {delay_ms});\n"
    loop = (
        f"while (true) {{ {stmt} try {{ Thread.sleep({period_ms}); }} "
        "catch (InterruptedException e) { return; } }"
        if period_ms
        else stmt
    )
    return (
        f"{pad}{{\n{pad}    Thread th = new Thread(() -> {{\n"
        f"{pad}        try {{ Thread.sleep({delay_ms}); }} catch (InterruptedException e) {{ return; }}\n"
        f"{pad}        {loop}\n{pad}    }}, {jstr(name.rsplit('-', 1)[-1] + '-worker')});\n"
        f"{pad}    th.setDaemon(true);\n{pad}    th.start();\n{pad}}}\n"
    )


def _install_member(spec: AppSpec) -> str:
    bi = spec.bundled_install
    if bi is None:
        return ""
    code = _tmpl(
        f"install_{bi.via}.part.java",
        package=jstr(bi.package),
        file_uri=jstr(f"file:///sdcard/Download/{bi.package}.apk"),
        apk_url=jstr(f"https://cdn.example.com/apk/{bi.package}.apk"),
    ).rstrip("\n")
    return _tmpl("Install.part.java", package=bi.package, via=bi.via, code=code)


#: The service class of an SDK that runs in a process of its own (``SdkSpec.process``).
_SDK_SERVICE = {"push": "com.example.sdk.push.PushService"}


def _sdk_start(s: SdkSpec) -> str:
    if s.process is None:
        return f"        {_SDK_START[s.kind][0]}(ctx, {_opts(s)});\n"
    # Context.startService: the device starts the service's process (android:process)
    return (f"        ctx.startService(new android.content.Intent(ctx, {_SDK_SERVICE[s.kind]}.class)"
            f".putExtra(\"delay_ms\", {jstr(str(s.delay_ms))})"
            f".putExtra(\"period_ms\", {jstr(str(s.period_ms))}));\n")


def _process_guard(spec: AppSpec) -> str:
    """Application.onCreate runs in every process of the app, as on Android: an app with an
    SDK process does its own start-up in its main process only (the usual guard)."""
    if not any(s.process for s in spec.sdks):
        return ""
    return ("        if (!getPackageName().equals(android.app.Application.getProcessName())) return;"
            "  // an SDK's process\n")


def _application(spec: AppSpec) -> str:
    pkg, pfx = spec.package, spec.class_prefix

    def sdk_calls(when: str) -> str:
        return "".join(_sdk_start(s) for s in spec.sdks if s.start == when)

    def item_calls(when: str, activity: bool) -> str:
        out = [
            _schedule(f"action{i}(ctx);", a.thread, a.delay_ms, a.period_ms, f"{pkg}-action{i}")
            for i, a in enumerate(spec.actions) if a.when == when
        ]
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

    stops = "".join(f"        {_SDK_START[s.kind][1]}();\n"
                    for s in spec.sdks if s.on_refusal == "stop")
    starts = "".join(_sdk_start(s) for s in spec.sdks if s.on_refusal == "start")
    members = "".join(_action_body(a, i) for i, a in enumerate(spec.actions))
    if spec.burst:
        b = spec.burst
        members += _tmpl("Burst.part.java", calls=str(b.calls), threads=str(b.threads),
                         stmt=ACTIONS[b.call])
    members += _install_member(spec)
    return _tmpl(
        "Application.java",
        pkg=pkg,
        app_cls=f"{pfx}Application",
        tag=jstr(pfx),
        on_create=_process_guard(spec) + sdk_calls("on_create") + item_calls("on_create", False),
        after_consent=sdk_calls("after_consent") + item_calls("after_consent", True),
        after_refusal=stops + starts + item_calls("after_refusal", True),
        after_withdrawal="".join(f"        {_SDK_START[s.kind][1]}();\n" for s in spec.sdks
                                 if s.process is None),
        on_main=sdk_calls("on_main") + item_calls("on_main", True),
        members=members,
    )


def _permission_call(via: str, arr: str, code: int) -> str:
    return {
        "activity": f"requestPermissions({arr}, {code});",
        "compat": f"androidx.core.app.ActivityCompat.requestPermissions(this, {arr}, {code});",
        "support": f"android.support.v4.app.ActivityCompat.requestPermissions(this, {arr}, {code});",
        "fragment": f"new PermissionFragment().attachTo(this).requestPermissions({arr}, {code});",
    }[via]


def _main_activity(spec: AppSpec, zh: bool) -> str:
    pkg, c = spec.package, spec.consent
    app_cls = f"{spec.class_prefix}Application"
    buttons: list[tuple[str, str, str]] = []
    for i, a in enumerate(spec.actions):
        if a.when == "on_button":
            body = _schedule(f"{app_cls}.action{i}(ctx);", a.thread, a.delay_ms, a.period_ms,
                             f"{pkg}-action{i}", indent=12)
            buttons.append((a.button or "", body, f"btn_action{i}"))
    for i, pr in enumerate(spec.permission_requests):
        if pr.when == "on_button":
            buttons.append((pr.button or "", f"            askPermissions{i}();\n", f"btn_perm{i}"))
    if spec.bundled_install and spec.bundled_install.when == "on_button":
        buttons.append((spec.bundled_install.button or "",
                        f"            {app_cls}.bundledInstall(ctx);\n", "btn_install"))
    if spec.burst and spec.burst.when == "on_button":
        buttons.append((spec.burst.button or "Burst", f"            {app_cls}.burst(ctx);\n",
                        "btn_burst"))
    button_code = "".join(
        f"        addButton(root, {jstr(text)}, {jstr(rid)}, v -> {{\n{body}        }});\n"
        for text, body, rid in buttons
    )
    perm_methods = "".join(
        _tmpl("ask_permissions.part.java", idx=str(i), call=_permission_call(
            pr.via, "new String[] {" + ", ".join(jstr(p) for p in pr.perms) + "}", 100 + i))
        for i, pr in enumerate(spec.permission_requests)
    )
    uses_fragment = any(pr.via == "fragment" for pr in spec.permission_requests)
    if c.dialog == "none":
        consent_flow = _tmpl("consent_none.part.java", app_cls=app_cls)
    else:
        consent_flow = _tmpl("consent_dialog.part.java", delay_ms=str(c.delay_ms))
    if spec.splash_ms:
        consent_flow = _splash(spec, zh, consent_flow)
    return _tmpl(
        "MainActivity.java",
        pkg=pkg,
        app_cls=app_cls,
        base_activity=("androidx.fragment.app.FragmentActivity" if uses_fragment
                       else "android.app.Activity"),
        tag=jstr(spec.class_prefix),
        limited=jstr("仅浏览模式" if zh else "Limited mode"),
        notice_title=jstr("温馨提示" if zh else "Notice"),
        notice_text=jstr("您需要同意隐私政策才能继续使用本应用。" if zh
                         else "You need to accept the privacy policy to use this app."),
        view_again=jstr("查看协议" if zh else "View policy"),
        still_refuse=jstr("仍不同意" if zh else "Still disagree"),
        label=jstr(spec.label),
        title_id=jstr(pkg + ":id/app_title"),
        status_id=jstr(pkg + ":id/main_text"),
        main_text=jstr(spec.main_text),
        buttons=button_code,
        settings_text=jstr("设置" if zh else "Settings"),
        consent_flow=consent_flow,
        c_style=jstr(c.dialog),
        c_title=jstr(c.title),
        c_body=jstr(c.body),
        c_link=jstr(c.link_text),
        c_agree=jstr(c.agree),
        c_refuse="null" if c.refuse is None else jstr(c.refuse),
        c_checkbox="null" if c.checkbox is None else jstr(c.checkbox),
        c_checkbox_checked=str(c.checkbox_checked).lower(),
        c_policy_title=jstr(c.policy_title),
        c_policy_text=jstr(c.policy_text),
        c_remember=str(c.remember).lower(),
        c_refusal_hours=str(c.remember_refusal_hours),
        on_refuse=_tmpl(f"refuse_{c.on_refuse}.part.java"),
        reask=(_tmpl("reask.part.java", reask_ms=str(c.reask_after_ms))
               if c.reask_after_ms else ""),
        perm_methods=perm_methods,
    )


def _splash(spec: AppSpec, zh: bool, then: str) -> str:
    """The consent flow run after an animated splash ad of ``spec.splash_ms``."""
    indented = "".join(f"    {line}" if line.strip() else line
                       for line in then.splitlines(keepends=True))
    return _tmpl("splash.part.java", splash_ms=str(spec.splash_ms), then=indented,
                 ad_text=jstr("广告" if zh else "Ad"), skip_text=jstr("跳过" if zh else "Skip"))


def generate_app_sources(spec: AppSpec) -> dict[str, str]:
    """Java sources of the app's own classes, by path under ``src/``."""
    c = spec.consent
    base = spec.package.replace(".", "/")
    zh = bool(re.search(r"[\u4e00-\u9fff]", c.agree + c.title))
    withdraw = ""
    if c.withdraw and c.dialog != "none":
        withdraw = _tmpl("withdraw.part.java",
                         withdraw_text=jstr("撤回隐私政策同意" if zh else "Withdraw consent"))
    files = {
        f"{base}/{spec.class_prefix}Application.java": _application(spec),
        f"{base}/MainActivity.java": _main_activity(spec, zh),
        f"{base}/SettingsActivity.java": _tmpl(
            "SettingsActivity.java", pkg=spec.package,
            settings_text=jstr("设置" if zh else "Settings"), withdraw=withdraw),
    }
    if any(pr.via == "fragment" for pr in spec.permission_requests):
        files[f"{base}/PermissionFragment.java"] = _tmpl("PermissionFragment.java",
                                                         pkg=spec.package)
    return files


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
        "debuggable": spec.debuggable,
        **_services(spec),
    }


def _services(spec: AppSpec) -> dict[str, object]:
    """``services`` of the manifest: each SDK service with its ``android:process``."""
    services = [{"name": _SDK_SERVICE[s.kind], "process": s.process}
                for s in spec.sdks if s.process is not None]
    return {"services": services} if services else {}


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
