"""`check` as a store reviewer uses it, on the built-in simulated device."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path


def ch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=900, check=False)


def test_an_invalid_apk_is_one_line_exit_2_before_any_device(tmp_path: Path) -> None:
    (tmp_path / "bad.apk").write_bytes(b"not a zip at all")
    r = ch("check", "bad.apk", "--report", "ev", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "error: bad.apk: not an APK (not a valid zip file: File is not a zip file)"]
    assert not (tmp_path / "ev").exists()


def test_bad_options_are_bad_input_before_anything_runs(tmp_path: Path) -> None:
    for extra in (["--rules", "7.2/pre-consent-colection"], ["--scope", "locaton"],
                  ["--sign", "missing.pem"]):
        r = ch("check", "com.example.news", "--report", "ev", *extra, cwd=tmp_path)
        assert r.returncode == 2, (extra, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert "simulated device" not in r.stderr


def test_a_typod_package_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    r = ch("check", "com.example.nwes", "--report", "ev", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert errors == [errors[0]] and "com.example.nwes is not installed" in errors[0]
    assert "[1/3]" not in r.stderr  # no scenario ran


def test_check_of_an_apk_in_chinese_signed_one_line_per_scenario(tmp_path: Path) -> None:
    from harness.sim.appbuild import build_package
    from harness.sim.apps import __file__ as apps_init

    apk = build_package(Path(apps_init).parent / "news.yaml", tmp_path)
    assert ch("keygen", "k.pem", cwd=tmp_path).returncode == 0
    r = ch("check", str(apk), "--observe", "2", "--report", "ev", "--lang", "zh",
           "--sign", "k.pem", "--scope", "device_id,network_id,installed_apps", cwd=tmp_path)
    assert r.returncode == 1, r.stderr  # the news app collects before consent
    lines = [line for line in r.stderr.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == ["[1/3", "[2/3", "[3/3"]
    assert "launching" not in r.stderr  # not a terminal: no step-by-step progress
    assert "7.2/pre-consent-collection fail" in r.stdout
    assert "telephony.imei" in r.stdout  # the failing rule's first evidence
    html = (tmp_path / "ev" / "report.html").read_text("utf-8")
    assert '<html lang="zh-CN"' in html and "不通过" in html
    assert "被测应用" in html and "Example Analytics (simulated)" in html
    assert r.stderr.count("installing news") == 0 and r.stderr.count("installing") == 1
    app = json.loads((tmp_path / "ev" / "summary.json").read_text("utf-8"))["apps"][0]
    assert app["package"] == "com.example.news" and app["label"] == "新闻头条"
    assert app["apk_sha256"] == hashlib.sha256(apk.read_bytes()).hexdigest()
    assert "android.permission.READ_PHONE_STATE" in app["permissions"]
    assert "Example Analytics (simulated)" in app["sdks_in_apk"]
    v = ch("verify", "ev", "--pubkey", "k.pem.pub", cwd=tmp_path)
    assert v.returncode == 0, v.stdout + v.stderr
    assert "signature: valid" in v.stdout
