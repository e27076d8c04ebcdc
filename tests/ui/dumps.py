"""Small uiautomator dumps for the UI tests (shape of a real `uiautomator dump`)."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"


def node(
    cls: str = "android.widget.FrameLayout",
    text: str = "",
    rid: str = "",
    bounds: tuple[int, int, int, int] = (0, 0, 1080, 2340),
    clickable: bool = False,
    pkg: str = "com.example.news",
    desc: str = "",
    enabled: bool = True,
    children: tuple[str, ...] = (),
    checkable: bool = False,
    checked: bool = False,
) -> str:
    left, top, right, bottom = bounds
    attrs = (
        f'index="0" text={quoteattr(text)} resource-id={quoteattr(rid)} class="{cls}" '
        f'package="{pkg}" content-desc={quoteattr(desc)} checkable="{str(checkable).lower()}" '
        f'checked="{str(checked).lower()}" '
        f'clickable="{str(clickable).lower()}" enabled="{str(enabled).lower()}" '
        f'focusable="false" focused="false" scrollable="false" long-clickable="false" '
        f'password="false" selected="false" bounds="[{left},{top}][{right},{bottom}]"'
    )
    if not children:
        return f"<node {attrs} />"
    return f"<node {attrs}>" + "".join(children) + "</node>"


def dump(*roots: str, rotation: int = 0) -> str:
    return f'{HEAD}<hierarchy rotation="{rotation}">' + "".join(roots) + "</hierarchy>"


def consent_dialog(
    agree: str = "同意",
    refuse: str = "不同意",
    title: str = "用户协议与隐私政策",
    wrap_buttons: bool = False,
) -> str:
    """An activity with a news list, and a consent dialog window on top of it."""

    def button(label: str, rid: str, box: tuple[int, int, int, int]) -> str:
        if wrap_buttons:  # a clickable layout holding a plain TextView, as many apps do
            return node(
                "android.widget.LinearLayout",
                rid=rid,
                bounds=box,
                clickable=True,
                children=(node("android.widget.TextView", text=label, bounds=box),),
            )
        return node("android.widget.Button", text=label, rid=rid, bounds=box, clickable=True)

    activity = node(
        children=(
            node("android.widget.TextView", text="头条新闻", bounds=(0, 100, 1080, 200)),
            node("android.widget.Button", text="OK", bounds=(0, 2200, 1080, 2340), clickable=True),
        )
    )
    dialog = node(
        "android.widget.FrameLayout",
        bounds=(90, 700, 990, 1600),
        children=(
            node(
                "android.widget.LinearLayout",
                bounds=(90, 700, 990, 1600),
                children=(
                    node("android.widget.TextView", text=title, bounds=(120, 720, 960, 800)),
                    node(
                        "android.widget.TextView",
                        text="请您仔细阅读《隐私政策》，我们将收集设备信息……",
                        bounds=(120, 820, 960, 1300),
                    ),
                    node(
                        "android.widget.LinearLayout",
                        bounds=(120, 1400, 960, 1560),
                        children=(
                            button(
                                refuse, "com.example.news:id/btn_refuse", (120, 1400, 520, 1560)
                            ),
                            button(agree, "com.example.news:id/btn_agree", (560, 1400, 960, 1560)),
                        ),
                    ),
                ),
            ),
        ),
    )
    return dump(activity, dialog)


PC = "com.android.permissioncontroller"


def permission_prompt(
    window_pkg: str = PC,
    buttons: tuple[tuple[str, str], ...] = (
        ("permission_allow_foreground_only_button", "While using the app"),
        ("permission_allow_one_time_button", "Only this time"),
        ("permission_deny_button", "Don’t allow"),
    ),
    message: str = "Allow News to access this device’s location?",
    id_ns: str = PC,
    location_accuracy: bool = False,
) -> str:
    """GrantPermissionsActivity's window as `uiautomator dump` shows it (layout of
    PermissionController's grant_permissions.xml: ScrollView > grant_singleton >
    grant_dialog > content + buttons). Ids keep ``id_ns`` whatever ``window_pkg`` is,
    as on Google images."""

    def rid(name: str) -> str:
        return f"{id_ns}:id/{name}"

    def n(cls: str, **kw: object) -> str:
        return node(cls, pkg=window_pkg, **kw)  # type: ignore[arg-type]

    top = 1300
    rows = []
    for i, (name, label) in enumerate(buttons):
        box = (110, top + i * 140, 970, top + i * 140 + 126)
        rows.append(n("android.widget.Button", text=label, rid=rid(name), bounds=box,
                      clickable=True))
    accuracy: tuple[str, ...] = ()
    if location_accuracy:
        accuracy = (
            n("android.widget.LinearLayout", rid=rid("permission_location_accuracy"),
              bounds=(110, 1000, 970, 1280), children=(
                  n("android.widget.RadioGroup",
                    rid=rid("permission_location_accuracy_radio_group"),
                    bounds=(110, 1000, 970, 1280), children=(
                        n("android.widget.RadioButton", text="Precise",
                          rid=rid("permission_location_accuracy_radio_fine"),
                          bounds=(110, 1000, 540, 1280), clickable=True),
                        n("android.widget.RadioButton", text="Approximate",
                          rid=rid("permission_location_accuracy_radio_coarse"),
                          bounds=(540, 1000, 970, 1280), clickable=True),
                    )),
              )),
        )
    dialog = n(
        "android.widget.LinearLayout", rid=rid("grant_dialog"), bounds=(66, 700, 1014, 1900),
        children=(
            n("android.widget.LinearLayout", rid=rid("content_container"),
              bounds=(66, 700, 1014, 980), children=(
                  n("android.widget.ImageView", rid=rid("permission_icon"),
                    bounds=(507, 740, 573, 806)),
                  n("android.widget.TextView", text=message, rid=rid("permission_message"),
                    bounds=(110, 830, 970, 960)),
              )),
            *accuracy,
            n("android.widget.LinearLayout", bounds=(66, 1300, 1014, 1900), children=tuple(rows)),
        ),
    )
    return n(
        "android.widget.FrameLayout", bounds=(0, 0, 1080, 2400), children=(
            n("android.widget.ScrollView", bounds=(0, 0, 1080, 2400), children=(
                n("android.widget.LinearLayout", rid=rid("grant_singleton"),
                  bounds=(0, 0, 1080, 2400), children=(dialog,)),
            )),
        ),
    )


def app_window(pkg: str = "com.example.news", *children: str) -> str:
    return node(pkg=pkg, children=children or (
        node("android.widget.TextView", text="头条新闻", bounds=(0, 100, 1080, 200), pkg=pkg),))
