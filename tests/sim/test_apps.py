"""Bundled sim apps: specs and packages. The specs' ground truth (verdicts per rule) is data the
simulator carries without reading; this test — on the harness side — checks it names the
harness's rules."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from harness.scoring import RULES as SCORING_RULES
from harness.scoring.selection import ALL_RULES
from harness.sim.appbuild import build_package, generate_app_sources, load_spec
from harness.sim.apps import bundled_packages, spec_paths
from harness.sim.errors import SimulatorError
from harness.sim.packages import SimManifest

SPECS = {load_spec(p).package: p for p in spec_paths()}
RULES = tuple(rule.id for rule in SCORING_RULES)
ALL_IDS = {rule.id for rule in ALL_RULES}
SCENARIOS = ("observe", "agree", "refuse")

#: After the expected calls arrived, how long to keep watching for unexpected ones.
SETTLE = 1.5


def test_at_least_twelve_apps_with_complete_ground_truth() -> None:
    assert len(SPECS) >= 12
    for pkg, path in SPECS.items():
        spec = load_spec(path)
        assert pkg.startswith("com.example.")
        assert set(spec.ground_truth.verdicts) == set(SCENARIOS)
        for rules in spec.ground_truth.verdicts.values():
            # the seven in every mode; checklist rules where the app was built to show one
            assert set(RULES) <= set(rules), path.name
            assert set(rules) <= ALL_IDS, (path.name, set(rules) - ALL_IDS)
            assert set(rules.values()) <= {"pass", "fail", "not_applicable", "inconclusive"}


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


def test_free_form_actions_name_surface_methods(tmp_path: Path) -> None:
    """`invoke` names any surface method with arguments; a malformed one names file:line:field."""
    spec = tmp_path / "free.yaml"
    spec.write_text(
        "package: com.example.free\nlabel: Free\nactions:\n  - when: on_main\n    invoke:\n"
        "      - {api: android.telephony.TelephonyManager.getImei, args: [0], params: [int]}\n"
        "      - {api: not a method}\n", encoding="utf-8")
    with pytest.raises(SimulatorError) as info:
        load_spec(spec)
    assert "free.yaml:7:" in str(info.value) and "actions.0.invoke.1.api" in str(info.value)
    spec.write_text(spec.read_text(encoding="utf-8").replace("      - {api: not a method}\n", ""),
                    encoding="utf-8")
    src = generate_app_sources(load_spec(spec))["com/example/free/FreeApplication.java"]
    assert "android.sim.Invoke.call(ctx, " in src and "getImei" in src


def test_refusal_memory_and_reasking_are_spec_fields_checked_at_load(tmp_path: Path) -> None:
    """``remember_refusal_hours`` / ``reask_after_ms`` need an app that stays open after a
    refusal; a wrong one names file:line:field. The generated app carries both."""
    spec = tmp_path / "nag.yaml"
    base = "package: com.example.nag\nlabel: Nag\nconsent:\n  on_refuse: {refuse}\n  {field}\n"
    spec.write_text(base.format(refuse="exit", field="remember_refusal_hours: 48"),
                    encoding="utf-8")
    with pytest.raises(SimulatorError) as info:
        load_spec(spec)
    assert "nag.yaml:3:" in str(info.value)
    assert "consent.remember_refusal_hours needs on_refuse: limited" in str(info.value)
    spec.write_text(base.format(refuse="limited", field="reask_after_ms: -1"), encoding="utf-8")
    with pytest.raises(SimulatorError) as info:
        load_spec(spec)
    assert "nag.yaml:5:" in str(info.value) and "consent.reask_after_ms" in str(info.value)
    spec.write_text(base.format(refuse="limited", field="reask_after_ms: 3000"), encoding="utf-8")
    main = generate_app_sources(load_spec(spec))["com/example/nag/MainActivity.java"]
    assert "asking again after the refusal" in main and "}, 3000);" in main
    assert "cfg.rememberRefusalHours = 0L;" in main
    tracker = generate_app_sources(load_spec(SPECS["com.example.tracker"]))
    main = tracker["com/example/tracker/MainActivity.java"]
    assert "cfg.rememberRefusalHours = 48L;" in main and "asking again" not in main


def test_a_release_build_spec_says_so_in_its_manifest(tmp_path: Path) -> None:
    """``debuggable: false`` (a release build): the package's manifest carries it, which the
    device reads (a user build starts such an app without waiting for a debugger)."""
    spec = tmp_path / "release.yaml"
    spec.write_text("package: com.example.release\nlabel: Release\ndebuggable: false\n",
                    encoding="utf-8")
    with zipfile.ZipFile(build_package(spec, tmp_path / "out")) as z:
        manifest = SimManifest.model_validate(json.loads(z.read("manifest.json")))
    assert manifest.debuggable is False
    with zipfile.ZipFile(bundled_packages()[0]) as z:
        assert json.loads(z.read("manifest.json"))["debuggable"] is True
