"""The sensitive-API catalog (what to hook, what a call means) and SDK attribution.

Layering (DESIGN §3): this package imports only :mod:`harness.model` and
:mod:`harness.errors`.
"""

from harness.catalog.attribution import (
    SDK_KINDS,
    Attribution,
    Attributor,
    SdkInfo,
    attribute,
    load_sdk_table,
)
from harness.catalog.exclusions import Exclusion, Exclusions, load_exclusions, parse_exclusions
from harness.catalog.loader import load_catalog, parse_catalog
from harness.catalog.models import ARTICLES, Catalog, CatalogEntry, Matcher

__all__ = [
    "ARTICLES",
    "SDK_KINDS",
    "Attribution",
    "Attributor",
    "Catalog",
    "CatalogEntry",
    "Exclusion",
    "Exclusions",
    "Matcher",
    "SdkInfo",
    "attribute",
    "load_catalog",
    "load_exclusions",
    "load_sdk_table",
    "parse_catalog",
    "parse_exclusions",
]
