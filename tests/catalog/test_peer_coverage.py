"""The peers' privacy hooks, accounted for: hooked by the catalog or excluded with a reason.

``data/peer-privacy-apis.tsv`` is a copy of ``shared/data/peer-privacy-apis.tsv``: the
(class, method) pairs that three public tools hook — camille, MobSF's Frida API monitor and
XPrivacyLua — read from their sources (its header says so). It is ground truth from outside
this project, not a list to copy: MobSF traces app behaviour in general (storage, crypto,
WebView), some rows name abstract classes where a hook must target the implementation, some
name library or demo-app classes. Every row must therefore be either hooked or listed in
``harness/catalog/exclusions.json`` with a reason. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import pytest

from harness.catalog import Catalog, Exclusions, load_catalog, load_exclusions

PEERS = Path(__file__).resolve().parent / "data" / "peer-privacy-apis.tsv"
SURFACE = Path(__file__).resolve().parents[2] / "harness" / "sim" / "framework" / "surface.json"

#: Framework packages: what a peer hooks in the platform rather than in a library or an app.
PLATFORM_PREFIXES = ("android.", "java.", "javax.", "dalvik.", "libcore.", "org.apache.")
#: Hidden framework packages (com.android.* is part of the platform image).
PLATFORM_HIDDEN = ("com.android.",)
#: Abstract framework classes whose calls the catalog hooks on the concrete class.
CONCRETE = {"android.content.pm.PackageManager": "android.app.ApplicationPackageManager"}
#: Regression floor for the share of the peers' platform methods the catalog hooks.
PLATFORM_HOOKED_FLOOR = 0.48

Pair = tuple[str, str]


def is_platform(class_name: str) -> bool:
    return class_name.startswith(PLATFORM_PREFIXES + PLATFORM_HIDDEN) and not class_name.startswith(
        ("android.support.", "androidx.")
    )


def read_peers(path: Path = PEERS) -> dict[Pair, set[str]]:
    """(class, method) → the peers hooking it; the header line and ``#`` comments skipped."""
    peers: dict[Pair, set[str]] = defaultdict(set)
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = [line for line in rows if not line.startswith("#")]
    assert body and body[0].split("\t") == ["tool", "class", "method"], f"{path}: header changed"
    for number, line in enumerate(body[1:], start=2):
        fields = line.split("\t")
        assert len(fields) == 3, f"{path}: row {number}: expected tool, class, method"
        tool, cls, method = fields
        peers[(cls, method)].add(tool)
    return dict(peers)


def hooked_pairs(catalog: Catalog) -> set[Pair]:
    return {(e.class_name, e.method) for e in catalog.entries}


def is_hooked(pair: Pair, hooked: set[Pair]) -> bool:
    cls, method = pair
    return pair in hooked or (CONCRETE.get(cls, cls), method) in hooked


@pytest.fixture(scope="module")
def peers() -> dict[Pair, set[str]]:
    return read_peers()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def exclusions() -> Exclusions:
    return load_exclusions()


def test_every_peer_method_is_hooked_or_excluded(
    peers: dict[Pair, set[str]], catalog: Catalog, exclusions: Exclusions
) -> None:
    hooked = hooked_pairs(catalog)
    platform = {p for p in peers if is_platform(p[0])}
    hooked_platform = {p for p in platform if is_hooked(p, hooked)}
    excluded = {p: x for p in peers if not is_hooked(p, hooked) and (x := exclusions.find(*p))}
    unaccounted = sorted(p for p in peers if not is_hooked(p, hooked) and p not in excluded)

    print("\npeer privacy hooks (camille, MobSF, XPrivacyLua): (class, method) pairs")
    for tool in sorted({t for tools in peers.values() for t in tools}):
        mine = {p for p, tools in peers.items() if tool in tools and is_platform(p[0])}
        hit = len({p for p in mine if is_hooked(p, hooked)})
        print(f"  {tool:<12} platform {hit:>3}/{len(mine):<3} hooked {hit / len(mine):6.1%}")
    share = len(hooked_platform) / len(platform)
    print(
        f"  all          platform {len(hooked_platform):>3}/{len(platform):<3} hooked {share:6.1%}"
    )
    accounted = len(hooked_platform) + sum(1 for p in excluded if p in platform)
    print(f"               platform accounted for (hooked or excluded) {accounted}/{len(platform)}")
    kinds = Counter(x.kind for p, x in excluded.items() if p in platform)
    print("  excluded by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    others = [p for p in peers if p not in platform]
    print(
        f"  non-platform pairs (libraries, demo app): {len(others)}, "
        f"{sum(is_hooked(p, hooked) for p in others)} hooked, the rest excluded"
    )

    assert unaccounted == [], "peer methods neither hooked nor in harness/catalog/exclusions.json"
    assert share >= PLATFORM_HOOKED_FLOOR


def test_exclusions_name_nothing_the_catalog_hooks(
    catalog: Catalog, exclusions: Exclusions
) -> None:
    hooked = hooked_pairs(catalog)
    both = [
        f"{x.class_name}.{x.method}"
        for x in exclusions.entries
        if x.params is None and is_hooked((x.class_name, x.method), hooked)
    ]
    assert both == [], "listed as excluded but hooked: remove the exclusion"


def test_pending_exclusions_wait_only_for_the_surface(exclusions: Exclusions) -> None:
    """A ``pending_surface`` exclusion is promoted as soon as the simulator's surface has it."""
    data = json.loads(SURFACE.read_text(encoding="utf-8"))
    surface = {(m["class"], m["method"]) for m in data["methods"]}
    ready = sorted(
        f"{x.class_name}.{x.method}"
        for x in exclusions.entries
        if x.kind == "pending_surface"
        and (
            (x.class_name, x.method) in surface or (CONCRETE.get(x.class_name), x.method) in surface
        )
    )
    assert ready == [], "now in the surface: hook it in harness/hooks/catalog.json"


#: Ready catalog lines for the ``pending_surface`` exclusions, while there are any (the file
#: is absent when nothing waits: the catalog loader refuses a catalog with no entries).
PENDING = Path(__file__).resolve().parent / "data" / "pending-entries.json"
SHIPPED = resources.files("harness.hooks").joinpath("catalog.json")


def test_pending_entries_are_ready_to_promote(
    peers: dict[Pair, set[str]], catalog: Catalog, exclusions: Exclusions, tmp_path: Path
) -> None:
    """Every ``pending_surface`` exclusion has its catalog line ready in
    ``data/pending-entries.json`` (and nothing else is there); promoting them all keeps a
    valid catalog. Today nothing is pending: the surface lists every peer method once waiting."""
    pending = load_catalog(PENDING).entries if PENDING.is_file() else []
    abstract = {c: a for a, c in CONCRETE.items()}
    pending_pairs = {(e.class_name, e.method) for e in pending}
    waiting = {(x.class_name, x.method) for x in exclusions.entries if x.kind == "pending_surface"}
    as_peers_name = {(abstract.get(c, c), m) for c, m in pending_pairs}
    assert as_peers_name == waiting, "a pending_surface exclusion without its ready entry, or back"
    assert not {e.id for e in pending} & {e.id for e in catalog.entries}
    # Promoting all of them keeps a valid catalog (no shadowed overload, no duplicate id).
    merged = json.loads(SHIPPED.read_text(encoding="utf-8"))
    merged["entries"] += [e.as_json() for e in pending]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(merged), encoding="utf-8")
    promoted = load_catalog(path)
    hooked = hooked_pairs(promoted)
    platform = {p for p in peers if is_platform(p[0])}
    hit = sum(1 for p in platform if is_hooked(p, hooked))
    print(
        f"\npending entries: {len(pending)}; peers' platform methods hooked once they are "
        f"promoted: {hit}/{len(platform)} {hit / len(platform):.1%}"
    )
