"""One app's APKs from what a scenario's `apk:` or `check` names: APKs, folders, APK sets
(bundletool's .apks, zips of .apk files) — base first, bad layouts named."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from harness.apklayout import source_problem
from harness.device.apkinfo import apk_identity
from harness.device.apkset import base_first, expand_apks
from harness.errors import InputError
from harness.sim.packages import split_app

from .conftest import PACKAGE, sim_package


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _split(name: str, package: str = PACKAGE) -> bytes:
    return _zip({"manifest.json": json.dumps(
        {"format": 1, "package": package, "split": name, "version_code": 25}).encode()})


@pytest.fixture
def app(tmp_path: Path) -> tuple[bytes, bytes, bytes]:
    return sim_package(split_required=True), _split("config.x86_64"), _split("config.xxhdpi")


def test_files_in_any_order_come_back_base_first(tmp_path: Path,
                                                 app: tuple[bytes, bytes, bytes]) -> None:
    base, abi, dpi = app
    paths = {}
    for name, data in (("z-base.apk", base), ("a.apk", dpi), ("b.apk", abi)):
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    got = expand_apks([paths["a.apk"], paths["z-base.apk"], paths["b.apk"]], tmp_path / "w")
    assert [p.name for p in got] == ["z-base.apk", "b.apk", "a.apk"]  # splits by name
    assert apk_identity(got[1]).split == "config.x86_64"
    assert apk_identity(got[0]).split is None


def test_folder_and_apk_sets(tmp_path: Path, app: tuple[bytes, bytes, bytes]) -> None:
    base, abi, dpi = app
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "base.apk").write_bytes(base)
    (folder / "split_config.x86_64.apk").write_bytes(abi)
    (folder / "notes.txt").write_text("ignored")
    assert [p.name for p in expand_apks([folder], tmp_path / "w1")] == [
        "base.apk", "split_config.x86_64.apk"]
    # bundletool build-apks (split mode): toc.pb + splits/*.apk (standalones ignored)
    apks = tmp_path / "app.apks"
    apks.write_bytes(_zip({"toc.pb": b"\x0a\x00", "splits/base-master.apk": base,
                           "splits/base-x86_64.apk": abi, "splits/base-xxhdpi.apk": dpi,
                           "standalones/standalone-x86_64.apk": base}))
    got = expand_apks([apks], tmp_path / "w2")
    assert [p.name for p in got] == ["base-master.apk", "base-x86_64.apk", "base-xxhdpi.apk"]
    assert got[0].read_bytes() == base and got[0].is_relative_to(tmp_path / "w2")
    # --mode=universal: the one universal APK
    universal = tmp_path / "universal.apks"
    universal.write_bytes(_zip({"toc.pb": b"", "universal.apk": sim_package()}))
    assert [p.name for p in expand_apks([universal], tmp_path / "w3")] == ["universal.apk"]
    # a plain zip of APKs (.xapk-style, with its own manifest.json beside them)
    plain = tmp_path / "app.xapk"
    plain.write_bytes(_zip({"manifest.json": b"{}", "base.apk": base,
                            "config.x86_64.apk": abi, "icon.png": b"x"}))
    assert [p.name for p in expand_apks([plain], tmp_path / "w4")] == [
        "base.apk", "config.x86_64.apk"]


def test_unknown_layouts_and_wrong_sets_are_named(tmp_path: Path,
                                                  app: tuple[bytes, bytes, bytes]) -> None:
    base, abi, _ = app
    odd = tmp_path / "odd.zip"
    odd.write_bytes(_zip({"docs/readme.txt": b"x", "lib/a.so": b"y"}))
    with pytest.raises(InputError, match="neither an APK nor a set of APKs") as err:
        expand_apks([odd], tmp_path / "w")
    assert err.value.path == str(odd)
    standalone = tmp_path / "s.apks"
    standalone.write_bytes(_zip({"toc.pb": b"", "standalones/standalone-x86.apk": base}))
    assert "standalone" in (source_problem(standalone) or "")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert source_problem(empty) == "a folder with no .apk file in it"
    assert source_problem(tmp_path / "nope.apk") == "no such file or folder"
    (tmp_path / "bad.apk").write_bytes(b"not a zip")
    assert (source_problem(tmp_path / "bad.apk") or "").startswith("not an APK (not a valid zip")
    paths = []
    for name, data in (("abi.apk", abi), ("base.apk", base), ("base2.apk", sim_package()),
                       ("other.apk", _split("config.x86_64", "com.example.other"))):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    abi_p, base_p, base2_p, other_p = paths
    with pytest.raises(InputError, match=r"no base APK: abi.apk is a split"):
        base_first([abi_p])
    with pytest.raises(InputError, match=r"several base APKs \(base.apk, base2.apk\)"):
        base_first([base_p, base2_p])
    with pytest.raises(InputError, match="a split of com.example.other, not of com.example"):
        base_first([base_p, other_p])


def test_split_app_moves_the_application_into_the_split() -> None:
    from harness.sim.apps import bundled_packages

    news = next(p for p in bundled_packages() if p.name == "com.example.news.apk")
    base, split = split_app(news.read_bytes())
    with zipfile.ZipFile(io.BytesIO(base)) as b, zipfile.ZipFile(io.BytesIO(split)) as s:
        app_class = json.loads(b.read("sim.json"))["application"]
        source = f"src/{app_class.replace('.', '/')}.java"
        assert source not in b.namelist() and source in s.namelist()
        assert json.loads(b.read("manifest.json"))["split_required"] is True
        assert json.loads(s.read("manifest.json"))["split"] == "config.x86_64"
