"""Bundled sim apps: specs, packages, and each app's stated ground truth of catalog calls,
checked by running the real app JVM (direct launch, in-test bridge, SIM_TRACE=1)."""

from __future__ import annotations

import json
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_runtime_support import AppRun, install_dir, need_jdk, top

from harness.errors import SimulatorError
from harness.sim import runtime
from harness.sim.appbuild import RULES, SCENARIOS, AppSpec, build_package, load_spec
from harness.sim.apps import bundled_packages, spec_paths
from harness.sim.packages import SimManifest

SPECS = {load_spec(p).package: p for p in spec_paths()}
CATALOG_IDS = {e["id"] for e in runtime.load_catalog_entries()}

#: After the expected calls arrived, how long to keep watching for unexpected ones.
SETTLE = 1.5


def test_at_least_twelve_apps_with_complete_ground_truth() -> None:
    assert len(SPECS) >= 12
    for pkg, path in SPECS.items():
        spec = load_spec(path)
        assert pkg.startswith("com.example.")
        assert set(spec.ground_truth.verdicts) == set(SCENARIOS)
        for rules in spec.ground_truth.verdicts.values():
            assert set(rules) == set(RULES)
        calls = spec.ground_truth.calls
        for cid in [*calls.pre_consent, *calls.post_consent, *calls.post_refusal]:
            assert cid in CATALOG_IDS, f"{path.name}: {cid} is not a catalog id"


def test_coverage_of_the_required_behaviours() -> None:
    specs = [load_spec(p) for p in SPECS.values()]
    fails = {
        r: [
            s.package
            for s in specs
            if any(v[r] == "fail" for v in s.ground_truth.verdicts.values())
        ]
        for r in RULES
    }
    for rule, apps in fails.items():
        if rule != "7.2/no-consent-prompt":
            assert apps, f"no bundled app fails {rule}"
    assert fails["7.2/no-consent-prompt"]
    assert any(
        all(
            v == "pass" or v == "not_applicable"
            for sc in s.ground_truth.verdicts.values()
            for v in sc.values()
        )
        for s in specs
    ), "no fully compliant app"
    assert any(s.burst and s.burst.calls >= 100_000 and s.burst.threads > 1 for s in specs)
    assert any("<script>" in s.label and "$(" in s.label for s in specs)
    assert {s.consent.dialog for s in specs} >= {"custom", "alert", "popup", "none"}


def test_packages_have_valid_manifests(tmp_path: Path) -> None:
    for apk in bundled_packages():
        with zipfile.ZipFile(apk) as z:
            names = set(z.namelist())
            manifest = SimManifest.model_validate(json.loads(z.read("manifest.json")))
            assert {"sim.json", "spec.yaml"} <= names
            sources = [n for n in names if n.startswith("src/") and n.endswith(".java")]
        pkg_dir = "src/" + manifest.package.replace(".", "/") + "/"
        assert sources and all(n.startswith(pkg_dir) for n in sources), (
            "app classes live in the app's package"
        )


def test_build_is_deterministic(tmp_path: Path) -> None:
    spec = next(iter(SPECS.values()))
    a = build_package(spec, tmp_path / "a").read_bytes()
    b = build_package(spec, tmp_path / "b").read_bytes()
    assert a == b


def test_bad_spec_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (
        SPECS["com.example.news"].read_text(encoding="utf-8").replace("kind: push", "kind: pushy")
    )
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SimulatorError) as info:
        load_spec(bad)
    msg = str(info.value)
    assert "bad.yaml:" in msg and "sdks.1.kind" in msg
    line = int(msg.split("bad.yaml:")[1].split(":")[0])
    assert "pushy" in text.splitlines()[line - 1]


# --------------------------------------------------------------------------- ground truth


@pytest.fixture(scope="module")
def installed() -> Iterator[dict[str, Path]]:
    need_jdk()
    root = Path(tempfile.mkdtemp(prefix="simapps-"))
    yield {apk.stem: install_dir(apk, root) for apk in bundled_packages()}


def _consent_window(run: AppRun, spec: AppSpec) -> dict:
    windows = run.wait_windows(lambda ws: any(w["type"] in ("dialog", "popup") for w in ws))
    return top([w for w in windows if w["type"] in ("dialog", "popup")])


def _wait_ids(run: AppRun, ids: set[str], start: int = 0) -> set[str]:
    """Waits until every id in ``ids`` was traced after message ``start``; returns all seen then."""

    def seen() -> set[str]:
        with run._new:
            msgs = list(run.messages[start:])
        return {
            m["msg"].split(" ")[0]
            for m in msgs
            if m.get("t") == "log" and m.get("tag") == "SimTrace"
        }

    run.wait_for(lambda m: ids <= seen(), start=start)
    time.sleep(SETTLE)
    return seen()


@pytest.mark.parametrize("package", sorted(SPECS))
def test_ground_truth_calls(package: str, installed: dict[str, Path]) -> None:
    spec = load_spec(SPECS[package])
    gt = spec.ground_truth.calls
    # observe, then agree
    run = AppRun(installed[package], trace=True)
    try:
        run.wait_for(lambda m: m.get("t") == "windows")
        pre = _wait_ids(run, set(gt.pre_consent))
        assert pre == set(gt.pre_consent), f"observe: {sorted(pre)}"
        if spec.consent.dialog == "none":
            return
        win = _consent_window(run, spec)
        mark = run.mark()
        run.click(win, spec.consent.agree)
        post = _wait_ids(run, set(gt.post_consent), start=mark)
        assert post == set(gt.post_consent), f"agree: {sorted(post)}"
    finally:
        run.close()
    # refuse, on a fresh install
    run = AppRun(installed[package], trace=True)
    try:
        run.wait_for(lambda m: m.get("t") == "windows")
        _wait_ids(run, set(gt.pre_consent))
        win = _consent_window(run, spec)
        mark = run.mark()
        run.click(win, spec.consent.refuse)
        after = _wait_ids(run, set(gt.post_refusal), start=mark)
        assert after == set(gt.post_refusal), f"refuse: {sorted(after)}"
    finally:
        run.close()
