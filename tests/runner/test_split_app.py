"""A split app end to end on the simulated device (real adb, app JVMs and Frida): the
news app cut as bundletool cuts apps — a base and a config split that carries its
Application class — run by a scenario (`apk:` a list) and by `check` (several APKs);
its base alone is refused by the device, or, when not marked split-required, installs
and does not run."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.device import Device, DeviceError
from harness.sim.apps import bundled_packages
from harness.sim.packages import split_app

NEWS = "com.example.news"


def ch(cluster: Any, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    device = ["--device", cluster.serials[0], "--adb", f"{cluster.adb_host}:{cluster.adb_port}"]
    return subprocess.run([sys.executable, "-m", "harness.cli.main", *args, *device], cwd=cwd,
                          capture_output=True, text=True, timeout=600, check=False)


def _news() -> bytes:
    return next(p for p in bundled_packages() if p.name == f"{NEWS}.apk").read_bytes()


@pytest.fixture
def split_news(tmp_path: Path, device: Device) -> Any:
    base, split = split_app(_news())
    (tmp_path / "base.apk").write_bytes(base)
    (tmp_path / "split_config.x86_64.apk").write_bytes(split)
    # The bundled news app stays installed: the runner names the package of an `apk:`
    # scenario from the base's manifest, also when the install only replaces it.
    yield tmp_path / "base.apk", tmp_path / "split_config.x86_64.apk"
    # Put the bundled (single-APK) news app back for the other tests of the session.
    full = tmp_path / "news.apk"
    full.write_bytes(_news())
    device.install(full)


_SCENARIO = """name: split news
apk: {apk}
steps:
  - observe: 2
expect:
  "7.2/pre-consent-collection": fail
"""


def test_a_scenario_runs_a_split_app(tmp_path: Path, cluster: Any, device: Device,
                                     split_news: tuple[Path, Path]) -> None:
    base, split = split_news
    # Split first: the base is found by its manifest, not by the order.
    (tmp_path / "s.yaml").write_text(
        _SCENARIO.format(apk=json.dumps([split.name, base.name])), "utf-8")
    r = ch(cluster, "run", "s.yaml", "--report", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr  # the expectation (a violation) was met
    paths = device.shell_ok(["pm", "path", NEWS]).stdout.split()
    assert paths == [f"package:/data/app/{NEWS}/base.apk",
                     f"package:/data/app/{NEWS}/split_config.x86_64.apk"]
    # The Application class (in the split) ran: its SDK collected before consent.
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    [scenario] = summary["scenarios"]
    assert scenario["package"] == NEWS and scenario["error"] is None
    assert scenario["verdict"] == "fail" and scenario["mismatches"] == [], scenario


def test_missing_split_is_a_clear_failure(tmp_path: Path, cluster: Any, device: Device,
                                          split_news: tuple[Path, Path]) -> None:
    base, _ = split_news
    (tmp_path / "s.yaml").write_text(_SCENARIO.format(apk=base.name), "utf-8")
    r = ch(cluster, "run", "s.yaml", "--report", "out", cwd=tmp_path)
    assert r.returncode != 0
    assert "split news  verdict=error" in r.stderr
    assert "INSTALL_FAILED_MISSING_SPLIT: Missing split for com.example.news" in r.stdout
    assert "give its base and split APKs" in r.stdout


def test_the_base_alone_does_not_run(tmp_path: Path, device: Device,
                                     split_news: tuple[Path, Path]) -> None:
    # Not marked split-required: Android installs it, and the app cannot start (its
    # Application class is in the split, as native code is in an ABI split).
    base, _ = split_app(_news(), required=False)
    (tmp_path / "lonely.apk").write_bytes(base)
    device.install(tmp_path / "lonely.apk")
    assert device.shell_ok(["pm", "path", NEWS]).stdout.split() == [
        f"package:/data/app/{NEWS}/base.apk"]
    # Its code does not build without the class the split brings: `am start` fails.
    with pytest.raises(DeviceError, match="cannot start") as err:
        device.start(NEWS)
    assert "NewsApplication" in str(err.value)
    assert device.pidof(NEWS) is None


def test_check_takes_a_base_and_its_split(tmp_path: Path, cluster: Any,
                                          split_news: tuple[Path, Path]) -> None:
    base, split = split_news
    r = ch(cluster, "check", str(split), str(base), "--observe", "2", "--report", "ev",
           cwd=tmp_path)
    assert r.returncode == 1, r.stderr  # the news app collects before consent
    assert "7.2/pre-consent-collection fail" in r.stdout
    assert f"installing base.apk, split_config.x86_64.apk ({NEWS})" in r.stderr
    app = json.loads((tmp_path / "ev" / "summary.json").read_text("utf-8"))["apps"][0]
    assert app["package"] == NEWS
    assert app["apk_sha256"] == hashlib.sha256(base.read_bytes()).hexdigest()
    assert "Example Analytics (simulated)" in app["sdks_in_apk"]
