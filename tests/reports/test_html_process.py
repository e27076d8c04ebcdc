"""report.html names the process of an evidence call made outside the app's main process."""

from __future__ import annotations

from harness.model import AppInfo, TraceHeader
from harness.reports.digest import TraceDigest
from harness.reports.html_parts import thread_cell

PKG = "com.example.courier"


def _digest(processes: dict[int, str]) -> TraceDigest:
    header = TraceHeader(created_at="2024-01-01T00:00:00Z", harness_version="t",
                         app=AppInfo(package=PKG), catalog_hash="x")
    return TraceDigest(header=header, processes=processes)


def test_a_further_process_is_shown_and_escaped() -> None:
    d = _digest({7: f"{PKG}:push", 8: PKG, 9: "<b>evil</b>"})
    assert f"{PKG}:push" in thread_cell("push-worker", d, 7)
    main = thread_cell("main", d, 8)
    assert "<br>" not in main and f'title="{PKG}"' in main  # the main process: no second line
    evil = thread_cell("<script>", d, 9)
    assert "<script>" not in evil and "<b>" not in evil and "&lt;b&gt;evil" in evil
    assert thread_cell("t", d, 10) == "<td>t</td>"  # a trace without the field: the thread only
    assert thread_cell("t", None, None) == "<td>t</td>"
