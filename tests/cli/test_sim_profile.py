"""The simulator's device profiles from the command line: ``sim serve --profile`` and the
embedded device of ``run`` (``--sim-profile`` / $CONSENT_HARNESS_SIM_PROFILE) — a real
scenario answering Google's Android 12+ prompt, and a non-debuggable app that cannot be
paused on a user build ending as an ``error`` verdict that says why."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from harness.sim.cluster import adb_binary, free_port

REPO = Path(__file__).resolve().parents[2]


def ch(*args: str, cwd: Path, env: dict[str, str] | None = None,
       timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **(env or {})})


def test_sim_serve_profile_google_is_a_user_build() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness.cli.main", "sim", "serve", "--port", str(port),
         "--no-apps", "--profile", "google"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    adb = [adb_binary(), "-P", str(free_port())]
    try:
        assert proc.stdout is not None
        serial = proc.stdout.readline().strip()
        assert serial == f"127.0.0.1:{port}"
        # The server adb forks keeps the descriptors it inherits: never capture its output
        # (the pipes would stay open and the call would wait for ever).
        subprocess.run([*adb, "start-server"], check=True, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([*adb, "connect", serial], check=True, capture_output=True, timeout=60)
        subprocess.run([*adb, "-s", serial, "wait-for-device"], check=True, timeout=60)
        out = subprocess.run([*adb, "-s", serial, "shell",
                              "getprop ro.debuggable; getprop ro.build.type"],
                             capture_output=True, text=True, timeout=60).stdout
        assert out.split() == ["0", "user"]
    finally:
        subprocess.run([*adb, "kill-server"], capture_output=True, timeout=60)
        proc.terminate()
        proc.communicate(timeout=30)


def test_unknown_profile_is_bad_input(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: x\napp: com.example.news\nsteps: [observe: 1]\n", "utf-8")
    r = ch("run", str(scenario), cwd=tmp_path, env={"CONSENT_HARNESS_SIM_PROFILE": "pixel"})
    assert r.returncode == 2
    assert "unknown simulator profile 'pixel'" in r.stderr
    assert "CONSENT_HARNESS_SIM_PROFILE" in r.stderr
    r = ch("run", str(scenario), "--sim-profile", "pixel", cwd=tmp_path)
    assert r.returncode == 2 and "pixel" in r.stderr
    r = ch("run", str(scenario), "--device", "emulator-5554", "--sim-profile", "google",
           cwd=tmp_path)
    assert r.returncode == 2 and "--sim-profile is for the simulated device" in r.stderr


def _non_debuggable_copy(package: str, dest: Path) -> Path:
    """The bundled app's package with ``debuggable: false`` in its manifest (a release
    build, as most store apps are)."""
    from harness.sim.apps import bundled_packages

    source = next(p for p in bundled_packages() if p.name == f"{package}.apk")
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "manifest.json":
                data = json.dumps({**json.loads(data), "debuggable": False}).encode()
            zout.writestr(item, data)
    dest.write_bytes(out.getvalue())
    return dest


def test_run_on_google_answers_the_prompt_and_refuses_a_non_debuggable_app(
        tmp_path: Path) -> None:
    from harness.sim import SimCluster

    release = _non_debuggable_copy("com.example.weather", tmp_path / "weather-release.apk")
    scenario = tmp_path / "profile.yaml"
    scenario.write_text(
        "name: compliant — agree, allow location\n"
        "app: com.example.compliant\n"
        "steps:\n  - wait_for_consent\n  - agree\n  - permissions: allow\n  - observe: 2\n"
        "expect:\n  \"7.2\": pass\n  \"7.4\": pass\n"
        "---\n"
        "name: weather release build\n"
        "app: com.example.weather\n"
        "steps:\n  - observe: 1\n", "utf-8")
    report = tmp_path / "report"
    with SimCluster(count=1, preinstall=True, profile="google") as cluster:
        serial = cluster.serials[0]
        installed = cluster.adb("-s", serial, "install", "-r", str(release))
        assert b"Success" in installed.stdout, installed
        r = ch("run", str(scenario), "--report", str(report), "--device", serial,
               "--adb", f"{cluster.adb_host}:{cluster.adb_port}", cwd=tmp_path)
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    by_name = {s["scenario"]: s for s in summary["scenarios"]}
    allowed = by_name["compliant — agree, allow location"]
    assert allowed["verdict"] == "pass", allowed
    traces = list((report / "scenarios").glob("compliant*/trace.jsonl"))
    assert any("While using the app" in t.read_text("utf-8") for t in traces)
    refused = by_name["weather release build"]
    assert refused["verdict"] == "error", refused
    text = json.dumps(refused)
    assert "not debuggable" in text and "ro.debuggable=0" in text, text
    assert "--sim-profile aosp" in text
    assert r.returncode != 0


def test_cli_knows_the_simulators_profiles() -> None:
    from harness.cli._devices import SIM_PROFILES
    from harness.sim.identity import DEFAULT_PROFILE, PROFILES

    assert SIM_PROFILES == PROFILES and SIM_PROFILES[0] == DEFAULT_PROFILE
