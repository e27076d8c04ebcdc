"""``consent-harness catalog`` (harness/cli/catalog_cmd.py)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from harness.catalog import load_catalog
from harness.cli.main import cli
from harness.model.enums import Category


def test_json_lists_every_entry() -> None:
    result = CliRunner().invoke(cli, ["catalog", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert len(entries) == len(load_catalog())
    first = entries[0]
    assert {"id", "class", "method", "overloads", "returns", "category", "articles"} <= set(first)


def test_category_filter() -> None:
    result = CliRunner().invoke(cli, ["catalog", "--category", "location", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert entries and {e["category"] for e in entries} == {"location"}
    assert len(entries) == len(load_catalog().by_category(Category.LOCATION))


def test_table_shows_signature_and_permission() -> None:
    result = CliRunner().invoke(cli, ["catalog", "--category", "device_id"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "CATEGORY", "CLASS.METHOD(PARAMS)", "PERMISSION"]
    imei = [line for line in lines if line.startswith("telephony.imei ")]
    assert imei and "android.telephony.TelephonyManager.getImei()" in imei[0]
    assert imei[0].rstrip().endswith("READ_PHONE_STATE")
    # Further overloads get their own continuation line.
    assert any(line.strip() == "android.telephony.TelephonyManager.getImei(int)" for line in lines)
    first_rows = [line.split() for line in lines[1:] if line and not line[0].isspace()]
    categories = {row[1] for row in first_rows if len(row) > 1 and "." in row[0]}
    assert categories == {"device_id"}


def test_unknown_category_lists_valid_ones_and_exits_2() -> None:
    result = CliRunner().invoke(cli, ["catalog", "--category", "biometrics"])
    assert result.exit_code == 2
    assert "biometrics" in result.output
    assert "location" in result.output and "package_install" in result.output
