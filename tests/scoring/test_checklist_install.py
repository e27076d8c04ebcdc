"""Issue 9 item 8: only the tapped view's own words ask for an install, never a consent
button (harness.scoring.install, the matching the bundled-install rule relies on)."""

from __future__ import annotations

from harness.model import Verdict
from harness.model.enums import MarkerKind
from harness.model.trace import Marker
from harness.scoring import score
from harness.scoring.install import asks_install, id_name, install_action_times
from harness.testing import T0, TraceBuilder


def _m(
    kind: str, at: float, source: str = "host", seq: int | None = None, **detail: object
) -> Marker:
    return Marker(marker=MarkerKind(kind), ts=T0 + at, source=source, seq=seq, detail=detail)  # type: ignore[arg-type]


def test_the_package_part_of_a_resource_id_does_not_ask_for_an_install() -> None:
    assert id_name("com.example.updater:id/btn_agree") == "btn_agree"
    assert not asks_install(
        {"action": "tap", "text": "好的", "resource_id": "com.example.updater:id/btn_ok"}
    )
    assert not asks_install({"text": "OK", "rid": "com.example.download.manager:id/ok"})
    assert not asks_install({"class": "com.example.updater.ui.UpdateButton", "text": "OK"})


def test_the_views_own_text_or_id_name_asks_for_one() -> None:
    assert asks_install({"action": "tap", "text": "立即更新"})
    assert asks_install({"text": "", "resource_id": "com.example.news:id/btn_download"})
    assert asks_install({"text": "x", "rid": "com.example.news:id/install_update"})
    assert asks_install({"step": "tap", "text": "Upgrade now"})
    assert asks_install({"asks_install": True})
    assert not asks_install({"asks_install": False, "text": "Install"})


def test_consent_buttons_never_ask_even_with_an_install_word() -> None:
    # The host's agree tap, whatever the button says or where it lives.
    assert not asks_install(
        {
            "action": "tap",
            "why": "agree",
            "text": "同意并更新",
            "resource_id": "com.example.updater:id/btn_update",
        }
    )
    assert not asks_install({"step": "agree", "text": "Agree and download"})
    markers = [
        _m("host_action", 1000, why="agree", text="同意并下载", resource_id="a.b:id/download"),
        # the agent's record of the same click: linked by the decision's seq…
        _m("view_clicked", 995, "agent", 7, text="同意并下载"),
        _m("consent_granted", 995, "agent", 7, text="同意并下载", **{"from": "view_clicked"}),
        # …or, without one, by the same text moments after the host's tap
        _m("view_clicked", 1200, "agent", 9, text="同意并下载"),
        # a later tap on the app's own update control does ask
        _m("view_clicked", 5000, "agent", 12, text="检查更新", resource_id="a.b:id/check"),
    ]
    assert install_action_times(markers) == [T0 + 5000]


def _agree_on_updater_then_silent_install() -> TraceBuilder:
    b = TraceBuilder().header(app="com.example.updater").shown(at=0)
    b.marker(
        "host_action",
        at=1000,
        source="host",
        action="tap",
        why="agree",
        text="同意",
        resource_id="com.example.updater:id/btn_agree",
    )
    b.grant(at=1000, source="host")
    return b.call("install.session.create", at=1500)


def test_the_helper_sees_no_user_action_before_the_silent_install() -> None:
    trace = _agree_on_updater_then_silent_install().build()
    assert install_action_times(trace.markers()) == []


def test_an_agree_tap_in_a_package_named_updater_excuses_no_install() -> None:
    report = score(_agree_on_updater_then_silent_install().build())
    bundled = next(r for r in report.rules if r.rule == "7.4/bundled-install")
    assert bundled.verdict is Verdict.FAIL
