"""Generated stubs have the real type hierarchy: a class no hand-written source defines
gets the kind, parent, interfaces and constructors the surface's ``classes`` table gives
it (tools/gen_android_surface.py, from Android's API reference) — checked by compiling
an app snippet against the runtime and by Java reflection."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from test_runtime_support import need_jdk

from harness.sim import runtime, stubgen

_PROBE = """
import java.lang.reflect.Modifier;

public class Probe {
    // What an app writes: a CdmaCellLocation where a CellLocation is expected, its own
    // GeocodeListener and ContentObserver (an interface and an abstract class).
    static android.telephony.CellLocation cell() {
        return new android.telephony.cdma.CdmaCellLocation(new android.os.Bundle());
    }
    static final android.location.Geocoder.GeocodeListener LISTENER =
        new android.location.Geocoder.GeocodeListener() {};
    static final android.database.ContentObserver OBSERVER =
        new android.database.ContentObserver(null) {};

    public static void main(String[] args) {
        System.out.println(cell() instanceof android.telephony.cdma.CdmaCellLocation);
        System.out.println(android.location.Geocoder.GeocodeListener.class.isInterface());
        System.out.println(Modifier.isAbstract(android.database.ContentObserver.class.getModifiers()));
        System.out.println(android.telephony.CellLocation.class.isAssignableFrom(
            android.telephony.cdma.CdmaCellLocation.class));
        System.out.println(android.os.Parcelable.class.isAssignableFrom(
            android.telephony.SubscriptionInfo.class));
        System.out.println(Modifier.isAbstract(
            android.telephony.TelephonyManager.CellInfoCallback.class.getModifiers()));
    }
}
"""


def _javac(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    out.mkdir(exist_ok=True)
    return subprocess.run(
        [runtime.javac(), "-nowarn", "-cp", str(runtime.runtime_classes()), "-d", str(out),
         str(src)], capture_output=True, text=True, timeout=300, check=False)


def test_the_surface_carries_the_hierarchy() -> None:
    classes = stubgen.stub_classes(stubgen.load_surface())
    assert classes["android.telephony.cdma.CdmaCellLocation"]["extends"] == (
        "android.telephony.CellLocation")
    assert classes["android.location.Geocoder$GeocodeListener"]["kind"] == "interface"
    assert classes["android.database.ContentObserver"]["kind"] == "abstract"
    assert classes["android.database.ContentObserver"]["constructors"] == [
        ["android.os.Handler"]]
    assert all(c["doc"].startswith("https://developer.android.com/reference/")
               for c in classes.values())


def test_an_app_compiles_against_the_real_types(tmp_path: Path) -> None:
    need_jdk()
    src = tmp_path / "Probe.java"
    src.write_text(_PROBE, encoding="utf-8")
    built = _javac(src, tmp_path / "classes")
    assert built.returncode == 0, built.stderr
    cp = f"{runtime.runtime_classes()}:{tmp_path / 'classes'}"
    run = subprocess.run([runtime.java(), "-cp", cp, "Probe"], capture_output=True, text=True,
                         timeout=120, check=True)
    assert run.stdout.split() == ["true"] * 6
    # And the types refuse what Android's refuse: an abstract class is not instantiable.
    bad = tmp_path / "Bad.java"
    bad.write_text("class Bad { Object o = new android.database.ContentObserver(null); }",
                   encoding="utf-8")
    refused = _javac(bad, tmp_path / "bad")
    assert refused.returncode != 0 and "is abstract" in refused.stderr


def test_without_the_table_a_new_class_is_a_plain_one(tmp_path: Path) -> None:
    entries = [{"id": "cdma", "class": "android.telephony.cdma.CdmaCellLocation",
                "method": "getNetworkId", "overloads": [[]], "returns": "int", "static": False}]
    plain = tmp_path / "plain"
    stubgen.generate_sources(entries, plain)
    text = (plain / "android/telephony/cdma/CdmaCellLocation.java").read_text("utf-8")
    assert "public class CdmaCellLocation {" in text
    typed = tmp_path / "typed"
    table: dict[str, dict[str, Any]] = {"android.telephony.cdma.CdmaCellLocation": {
                 "kind": "class", "extends": "android.example.Base",
                 "implements": ["android.example.Marker"], "constructors": [["int"]]},
             "android.example.Base": {"kind": "abstract"}}
    stubgen.generate_sources(entries, typed, classes=table)
    text = (typed / "android/telephony/cdma/CdmaCellLocation.java").read_text("utf-8")
    assert ("public class CdmaCellLocation extends android.example.Base "
            "implements android.example.Marker {") in text
    assert "public CdmaCellLocation(int a0) {}" in text and "CdmaCellLocation() {}" not in text
    # Parents and interfaces no source defines are generated, of their kind.
    base = (typed / "android/example/Base.java").read_text("utf-8")
    assert "public abstract class Base {" in base
    assert "public interface Marker {" in (typed / "android/example/Marker.java").read_text()


_DECL = re.compile(r"\bpublic\s+(?:static\s+)?(?:final\s+)?(abstract\s+)?(class|interface)\s+"
                   r"(\w+)(?:<[^>]*>)?(?:\s+extends\s+([\w.]+))?")


#: Hand-written classes known to differ from Android's declaration, and why.
KNOWN_DIFFERENCES: set[str] = set()


def test_hand_written_classes_agree_with_the_table() -> None:
    """Where the simulator writes a class by hand, its declaration is the table's too."""
    classes = stubgen.stub_classes(stubgen.load_surface())
    sources = stubgen.java_sources()
    checked = 0
    for name, spec in classes.items():
        rel = name.split("$")[0].replace(".", "/") + ".java"
        if "$" in name or rel not in sources or name in KNOWN_DIFFERENCES:
            continue
        text = sources[rel].read_text("utf-8")
        simple = name.rsplit(".", 1)[1]
        decl = next(m for m in _DECL.finditer(text) if m.group(3) == simple)
        kind = "interface" if decl.group(2) == "interface" else (
            "abstract" if decl.group(1) else "class")
        assert kind == spec["kind"], name
        parent = decl.group(4)
        assert (parent or None) == (spec["extends"] and spec["extends"].replace("$", ".")), name
        checked += 1
    assert checked >= 4  # CellLocation, GsmCellLocation, PackageManager, its implementation
