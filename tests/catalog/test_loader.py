"""Loading and validating the catalog: what the agent and the scorer rely on."""

from __future__ import annotations

import copy
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from harness.catalog import Catalog, load_catalog
from harness.errors import CatalogError, InputError
from harness.model.enums import NAMED_CAPABILITIES, PERSONAL_INFORMATION, Category

SHIPPED = resources.files("harness.hooks").joinpath("catalog.json")


def _entry(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "telephony.imei",
        "class": "android.telephony.TelephonyManager",
        "method": "getImei",
        "overloads": [[], ["int"]],
        "returns": "java.lang.String",
        "static": False,
        "category": "device_id",
        "data": "imei",
        "permission": "android.permission.READ_PHONE_STATE",
        "articles": ["7.2"],
        "min_sdk": 26,
    }
    entry.update(overrides)
    return entry


def _write(tmp_path: Path, entries: list[dict[str, Any]], **top: Any) -> Path:
    path = tmp_path / "catalog.json"
    doc = {"format": 1, "entries": entries, **top}
    # One entry per line, like the shipped file, so line numbers are meaningful.
    lines = ",\n".join(json.dumps(e) for e in doc.pop("entries"))
    head = json.dumps(doc)[:-1]
    path.write_text(f'{head}, "entries": [\n{lines}\n]}}\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_shipped_catalog_is_large(catalog: Catalog) -> None:
    assert len(catalog) >= 150


def test_every_category_is_used(catalog: Catalog) -> None:
    assert catalog.categories() == set(Category)


def test_hash_is_sha256_of_the_file_bytes(catalog: Catalog) -> None:
    assert catalog.hash == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()


def test_hash_follows_content(tmp_path: Path) -> None:
    a = load_catalog(_write(tmp_path, [_entry()]))
    b = load_catalog(_write(tmp_path, [_entry(data="imei_sv")]))
    assert a.hash != b.hash


def test_explicit_path_loads_same_catalog(catalog: Catalog, tmp_path: Path) -> None:
    copy_path = tmp_path / "copy.json"
    copy_path.write_bytes(SHIPPED.read_bytes())
    again = load_catalog(copy_path)
    assert again.hash == catalog.hash
    assert [e.id for e in again.entries] == [e.id for e in catalog.entries]


def test_get_by_id(catalog: Catalog) -> None:
    entry = catalog.get("telephony.imei")
    assert entry is not None
    assert entry.class_name == "android.telephony.TelephonyManager"
    assert entry.method == "getImei"
    assert entry.overloads == ((), ("int",))
    assert catalog.get("no.such.entry") is None


def test_for_agent_is_json_with_the_hook_fields(catalog: Catalog) -> None:
    views = json.loads(json.dumps(catalog.for_agent()))
    assert len(views) == len(catalog)
    by_id = {v["id"]: v for v in views}
    contacts = by_id["resolver.query.contacts"]
    assert contacts["class"] == "android.content.ContentResolver"
    assert contacts["method"] == "query"
    assert contacts["category"] == "contacts"
    assert contacts["match"] == {"arg": 0, "authority": ["com.android.contacts", "contacts", "icc"]}
    assert [
        "android.net.Uri",
        "java.lang.String[]",
        "java.lang.String",
        "java.lang.String[]",
        "java.lang.String",
    ] in contacts["overloads"]
    assert by_id["oaid.msa"]["overloads"] is None
    assert by_id["telephony.imei"]["min_sdk"] == 26
    for view in views:
        assert {"id", "class", "method", "overloads", "match", "category"} <= set(view)


def test_articles_follow_the_design_table(catalog: Catalog) -> None:
    for entry in catalog.entries:
        expected: set[str] = set()
        if entry.category in PERSONAL_INFORMATION:
            expected.add("7.2")
        if entry.category in NAMED_CAPABILITIES or entry.category in {
            Category.PERMISSION_REQUEST,
            Category.PACKAGE_INSTALL,
        }:
            expected.add("7.4")
        assert set(entry.articles) == expected, entry.id


def test_bad_category_names_entry_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, [_entry(), _entry(id="x.bad", category="biometrics")])
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    err = info.value
    assert err.field == "category"
    assert "entry 1 (x.bad)" in str(err)
    assert "biometrics" in str(err)
    assert "location" in str(err)  # says what would be accepted
    assert err.line == 3
    assert isinstance(err, InputError) and err.exit_code == 2


def test_duplicate_id(tmp_path: Path) -> None:
    path = _write(tmp_path, [_entry(), _entry(method="getMeid", data="meid")])
    with pytest.raises(CatalogError, match=r"entry 1 \(telephony.imei\): duplicate id") as info:
        load_catalog(path)
    assert info.value.field == "id"
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"class": "TelephonyManager"}, "class"),
        ({"class": "android.telephony.Telephony Manager"}, "class"),
        ({"method": "get-Imei"}, "method"),
        ({"method": "<init>"}, "method"),
        ({"overloads": [["java.lang.String[", "int"]]}, "overloads"),
        ({"overloads": [["void"]]}, "overloads"),
        ({"overloads": [[], []]}, "overloads"),
        ({"overloads": []}, "overloads"),
        ({"returns": "String"}, "returns"),
        ({"articles": ["7.3"]}, "articles"),
        ({"articles": []}, "articles"),
        ({"permission": "READ PHONE STATE"}, "permission"),
        ({"colour": "red"}, "colour"),
        ({"min_sdk": 0}, "min_sdk"),
    ],
)
def test_malformed_entry_fields(tmp_path: Path, override: dict[str, Any], field: str) -> None:
    path = _write(tmp_path, [_entry(**override)])
    with pytest.raises(CatalogError, match=r"entry 0 \(telephony.imei\)") as info:
        load_catalog(path)
    assert info.value.field is not None and info.value.field.startswith(field)


def test_sdk_range_must_be_ordered(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="min_sdk 26 is above max_sdk 23"):
        load_catalog(_write(tmp_path, [_entry(max_sdk=23)]))


def test_constructor_must_be_instance_void(tmp_path: Path) -> None:
    ctor = _entry(method="$init", overloads=[["int"]], returns="void", static=True)
    with pytest.raises(CatalogError, match=r"constructor"):
        load_catalog(_write(tmp_path, [ctor]))
    ok = _entry(method="$init", overloads=[["int"]], returns="void")
    assert load_catalog(_write(tmp_path, [ok])).entries[0].method == "$init"


def test_matcher_index_within_every_overload(tmp_path: Path) -> None:
    entry = _entry(match={"arg": 0, "equals": ["1"]})  # overload () has no argument 0
    with pytest.raises(CatalogError, match=r"match.arg 0 is beyond an overload with 0"):
        load_catalog(_write(tmp_path, [entry]))


def test_matcher_needs_a_condition(tmp_path: Path) -> None:
    entry = _entry(overloads=[["int"]], match={"arg": 0})
    with pytest.raises(CatalogError, match="at least one of authority") as info:
        load_catalog(_write(tmp_path, [entry]))
    assert info.value.field == "match"


def test_matcher_needs_explicit_overloads(tmp_path: Path) -> None:
    entry = _entry(overloads=None, match={"arg": 0, "equals": ["x"]})
    with pytest.raises(CatalogError, match="explicit overloads"):
        load_catalog(_write(tmp_path, [entry]))


def test_unfiltered_overload_shadows_later_entries(tmp_path: Path) -> None:
    first = _entry()
    second = _entry(id="telephony.imei.again", overloads=[["int"]])
    with pytest.raises(CatalogError, match=r"entry 1 \(telephony.imei.again\).*entry 0") as info:
        load_catalog(_write(tmp_path, [first, second]))
    assert info.value.field == "overloads"
    # An every-overload entry shadows too.
    wild = _entry(id="telephony.imei.all", overloads=None)
    with pytest.raises(CatalogError, match="already hooked"):
        load_catalog(_write(tmp_path, [wild, _entry()]))


def test_entries_sharing_a_method_with_matchers_are_fine(tmp_path: Path) -> None:
    query = [
        [
            "android.net.Uri",
            "java.lang.String[]",
            "java.lang.String",
            "java.lang.String[]",
            "java.lang.String",
        ]
    ]
    common = {
        "class": "android.content.ContentResolver",
        "method": "query",
        "overloads": query,
        "returns": "android.database.Cursor",
        "articles": ["7.2"],
        "permission": None,
        "min_sdk": None,
    }
    entries = [
        _entry(
            id="q.sms", category="sms", data="sms", match={"arg": 0, "authority": ["sms"]}, **common
        ),
        _entry(id="q.any", category="media", data="media", **common),  # fallback, last
    ]
    loaded = load_catalog(_write(tmp_path, entries))
    assert [e.id for e in loaded.entries] == ["q.sms", "q.any"]


def test_invalid_json_reports_line(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text('{"format": 1,\n "entries": [\n  {"id": }\n]}\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="invalid JSON") as info:
        load_catalog(path)
    assert info.value.line == 3
    assert info.value.path == str(path)


def test_newer_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="unsupported catalog format 2") as info:
        load_catalog(_write(tmp_path, [_entry()], format=2))
    assert info.value.field == "format"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read") as info:
        load_catalog(tmp_path / "absent.json")
    assert info.value.path == str(tmp_path / "absent.json")


def test_every_shipped_entry_survives_a_round_trip(catalog: Catalog, tmp_path: Path) -> None:
    dumped = [e.as_json() for e in catalog.entries]
    again = load_catalog(_write(tmp_path, copy.deepcopy(dumped)))
    assert again.entries == catalog.entries


def test_observed_flag_round_trips_and_defaults_off(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            _entry(),
            _entry(
                id="telephony.sim_count",
                method="getPhoneCount",
                overloads=[[]],
                returns="int",
                observed=True,
            ),
        ],
    )
    loaded = load_catalog(path)
    assert loaded.is_observed("telephony.sim_count")
    assert not loaded.is_observed("telephony.imei")
    assert not loaded.is_observed("unknown.id")  # unknown calls keep counting
    assert loaded.observed_ids() == frozenset({"telephony.sim_count"})
    as_json = {e.id: e.as_json() for e in loaded.entries}
    assert as_json["telephony.sim_count"]["observed"] is True
    assert "observed" not in as_json["telephony.imei"]


def test_observed_must_be_a_boolean(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"entry 0 \(telephony.imei\)") as info:
        load_catalog(_write(tmp_path, [_entry(observed="sometimes")]))
    assert info.value.field == "observed"
