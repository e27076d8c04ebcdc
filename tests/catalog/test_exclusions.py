"""The exclusion list: what the catalog deliberately leaves out must say why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.catalog import load_catalog, load_exclusions
from harness.errors import CatalogError


def _write(tmp_path: Path, items: list[dict[str, Any]], **top: Any) -> Path:
    path = tmp_path / "exclusions.json"
    head = json.dumps({"format": 1, **top})[:-1]
    lines = ",\n".join(json.dumps(i) for i in items)
    path.write_text(f'{head}, "exclusions": [\n{lines}\n]}}\n', encoding="utf-8")
    return path


def _item(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "class": "android.net.wifi.WifiManager",
        "method": "getWifiState",
        "kind": "no_identifier",
        "reason": "Wi-Fi on/off, no identifier",
    }
    item.update(overrides)
    return item


def test_shipped_list_loads_and_every_entry_has_a_reason() -> None:
    exclusions = load_exclusions()
    assert len(exclusions.entries) >= 100
    assert all(len(x.reason) >= 12 for x in exclusions.entries)
    found = exclusions.find("android.os.Build", "#SERIAL")
    assert found is not None and found.kind == "unhookable"


def test_no_exclusion_names_a_hooked_overload() -> None:
    catalog = load_catalog()
    hooked = {
        (e.class_name, e.method, params) for e in catalog.entries for params in e.overloads or ()
    }
    clash = [
        x
        for x in load_exclusions().entries
        if x.params is not None and (x.class_name, x.method, x.params) in hooked
    ]
    assert clash == []


def test_find_by_overload(tmp_path: Path) -> None:
    lm = "android.location.LocationManager"
    item = _item(method="removeUpdates", params=["android.app.PendingIntent"])
    item["class"] = lm
    exclusions = load_exclusions(_write(tmp_path, [item]))
    assert exclusions.find(lm, "removeUpdates", ("android.app.PendingIntent",)) is not None
    assert exclusions.find(lm, "removeUpdates", ("android.location.LocationListener",)) is None
    assert exclusions.find(lm, "removeUpdates") is not None  # any overload


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"kind": "boring"}, "kind"),
        ({"reason": "meh"}, "reason"),
        ({"class": "WifiManager"}, "class"),
        ({"method": "get-State"}, "method"),
        ({"params": ["void"]}, "params"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_malformed_exclusion_names_index_line_and_field(
    tmp_path: Path, override: dict[str, Any], field: str
) -> None:
    path = _write(tmp_path, [_item(method="getConnectionInfo"), _item(**override)])
    with pytest.raises(CatalogError, match=r"exclusion 1") as info:
        load_exclusions(path)
    assert info.value.field is not None and info.value.field.startswith(field)
    assert info.value.line == 3
    assert info.value.path == str(path)


def test_reason_is_required(tmp_path: Path) -> None:
    item = _item()
    del item["reason"]
    with pytest.raises(CatalogError) as info:
        load_exclusions(_write(tmp_path, [item]))
    assert info.value.field == "reason"


def test_duplicate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="listed twice"):
        load_exclusions(_write(tmp_path, [_item(), _item()]))


def test_wrong_format_and_unknown_keys(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as info:
        load_exclusions(_write(tmp_path, [_item()], format=2))
    assert info.value.field == "format"
    with pytest.raises(CatalogError, match="unknown top-level") as info:
        load_exclusions(_write(tmp_path, [_item()], extra=1))
    assert info.value.field == "extra"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read"):
        load_exclusions(tmp_path / "absent.json")
