"""One app call, one event — under Android's delegating overloads and the framework's own
calls. Real adb, real Frida, a real sim app JVM, the real runner; the simulator's
ground-truth tap (recorded inside the stubs, never by Frida) says what the app called.

The app (built here from a spec plus one class of its own) shows a focused text field
before consent — the framework's editor then asks the clipboard by itself — and after
consent makes three calls whose overloads delegate on API 33: ContentResolver.query
(5 args → 6 → Bundle), getInstalledPackages(int) → (PackageInfoFlags) and
requestLocationUpdates(String, long, float, LocationListener) → … → LocationRequest.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.model import CallEvent, Verdict
from tests.e2e_support import sim_with_apps

PACKAGE = "com.example.delegation"
TAP = f"/data/system/sim-tap/{PACKAGE}.jsonl"

SPEC = """\
package: {package}
label: Delegation
main_text: delegation
permissions: [android.permission.READ_CONTACTS, android.permission.ACCESS_FINE_LOCATION]
consent:
  dialog: custom
  on_refuse: limited
actions:
  - when: on_main
    invoke:
      - {{api: {package}.Probe.form, args: [{{context: true}}]}}
  - when: {collect_when}
    invoke:
      - {{api: {package}.Probe.collect, args: [{{context: true}}]}}
"""

#: The app's own code: plain Android API calls, as an app would write them.
PROBE = f"""\
package {PACKAGE};

public final class Probe {{
    private Probe() {{}}

    /** The screen: one text field, focused as a layout's <requestFocus/> makes it. */
    public static void form(android.content.Context ctx) {{
        android.app.Activity a = (android.app.Activity) ctx;
        android.widget.LinearLayout root = new android.widget.LinearLayout(a);
        android.widget.EditText field = new android.widget.EditText(a);
        root.addView(field);
        a.setContentView(root);
        field.requestFocus();
    }}

    public static void collect(android.content.Context ctx) {{
        try {{
            ctx.getContentResolver().query(
                android.provider.ContactsContract.CommonDataKinds.Phone.CONTENT_URI,
                null, null, null, null);
        }} catch (RuntimeException e) {{ android.util.Log.w("Probe", "query: " + e); }}
        try {{
            ctx.getPackageManager().getInstalledPackages(0);
        }} catch (RuntimeException e) {{ android.util.Log.w("Probe", "packages: " + e); }}
        try {{
            android.location.LocationManager lm =
                (android.location.LocationManager) ctx.getSystemService("location");
            lm.requestLocationUpdates("gps", 60000L, 0f, new android.location.LocationListener() {{
                @Override public void onLocationChanged(android.location.Location l) {{}}
            }});
        }} catch (RuntimeException e) {{ android.util.Log.w("Probe", "location: " + e); }}
    }}
}}
"""

SCENARIO = f"""\
name: delegation agree
app: {PACKAGE}
launch: {{clear_data: true, permissions: grant_all}}
steps:
  - wait_for_consent: {{timeout: 60}}
  - observe: 2
  - agree
  - observe: 4
"""

QUERY5 = "android.net.Uri,java.lang.String[],java.lang.String,java.lang.String[],java.lang.String"
LOCATION4 = "java.lang.String,long,float,android.location.LocationListener"


def _package(tmp: Path, collect_when: str = "after_consent") -> Path:
    """The sim package: the spec's generated sources plus the app's own Probe class."""
    import yaml

    from harness.sim.appbuild import package_bytes
    from harness.sim.appspec import AppSpec

    text = SPEC.format(package=PACKAGE, collect_when=collect_when)
    spec = AppSpec.model_validate(yaml.safe_load(text))
    buf = io.BytesIO(package_bytes(spec, text))
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr(f"src/{PACKAGE.replace('.', '/')}/Probe.java", PROBE)
    path = tmp / f"{PACKAGE}.apk"
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture(scope="module")
def run() -> Iterator[tuple[list[CallEvent], list[dict[str, Any]], Any]]:
    """The scenario run once: (the trace's calls, the tap's records, the result)."""
    from harness.device import AdbServer, connect
    from harness.runner import run_scenario
    from harness.scenario import load_scenarios
    from harness.tracefile import open_trace

    for cluster in sim_with_apps():
        dev = connect(cluster.serials[0], AdbServer(host=cluster.adb_host,
                                                    port=cluster.adb_port))
        tmp = Path(tempfile.mkdtemp(prefix="delegation-"))
        dev.install(_package(tmp))
        dev.shell(["rm", "-f", TAP])
        (tmp / "s.yaml").write_text(SCENARIO, encoding="utf-8")
        (scenario,) = load_scenarios(tmp / "s.yaml")
        result = run_scenario(scenario, dev, tmp / "out")
        calls = [r for r in open_trace(tmp / "out" / "trace.jsonl").records()
                 if isinstance(r, CallEvent)]
        tap = [json.loads(line) for line in dev.read_file(TAP).decode("utf-8").splitlines()
               if line.endswith("}")]
        yield calls, tap, result


def test_a_delegating_call_is_one_event_and_one_tap_record(
        run: tuple[list[CallEvent], list[dict[str, Any]], Any]) -> None:
    calls, tap, result = run
    assert result.error is None, result.error
    queries = [c for c in calls if c.api.startswith("resolver.query.")]
    assert [(c.api, c.overload) for c in queries] == [("resolver.query.contacts", QUERY5)]
    assert queries[0].threw is None and not queries[0].framework
    tapped = [t for t in tap if t["api"].startswith("android.content.ContentResolver.query(")]
    assert [t["api"] for t in tapped] == [f"android.content.ContentResolver.query({QUERY5})"]
    # the app's frame, not an inner overload's (Frida's hook adds a frame of the stub)
    assert any(f.startswith(f"{PACKAGE}.Probe.collect(") for f in tapped[0]["frames"][:3])

    packages = [c for c in calls if c.api.startswith("pm.installed_packages")]
    assert [(c.api, c.overload) for c in packages] == [("pm.installed_packages", "int")]
    assert [t["api"] for t in tap if ".getInstalledPackages(" in t["api"]] == [
        "android.app.ApplicationPackageManager.getInstalledPackages(int)"]

    updates = [c for c in calls if c.api.startswith("location.updates")]
    assert [(c.api, c.overload) for c in updates] == [("location.updates", LOCATION4)]
    assert [t["api"] for t in tap if ".requestLocationUpdates(" in t["api"]] == [
        f"android.location.LocationManager.requestLocationUpdates({LOCATION4})"]


def test_the_editors_own_clipboard_call_is_framework_and_fails_nothing(
        run: tuple[list[CallEvent], list[dict[str, Any]], Any]) -> None:
    calls, tap, result = run
    clip = [c for c in calls if c.api == "clipboard.has_primary_clip"]
    assert len(clip) == 1 and clip[0].framework, clip
    assert all(f.startswith(("android.", "java.", "jdk.")) for f in clip[0].stack), clip[0].stack
    # the tap knows it as the framework's, not the app's
    tapped = [t for t in tap if t["api"] == "android.content.ClipboardManager.hasPrimaryClip()"]
    assert [t.get("framework") for t in tapped] == [True]
    assert not [c for c in calls if c.framework and c is not clip[0]]
    verdicts = {r.rule: r.verdict for r in result.rules}
    # before consent the app itself collected nothing: only the editor asked the clipboard
    assert verdicts["7.2/pre-consent-collection"] is Verdict.PASS, result.rules
    assert verdicts["7.2/post-refusal-collection"] is Verdict.NOT_APPLICABLE
