"""The device's network as ``ifconfig``, ``ip`` and ``svc wifi|data`` show and switch it.

A shell-side table of interfaces, laid out like an emulator's: loopback and ``wlan0`` on
the emulator's private 10.0.2.0/24 (every emulator has the same address; it is its own
virtual network). Wi-Fi on/off lives where Android keeps it, the ``global`` settings
(``wifi_on``, ``airplane_mode_on``), so ``settings get`` and ``svc`` agree.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from harness.sim.shell.commands.registry import command
from harness.sim.shell.interp import CommandError, Ctx


@dataclass(frozen=True)
class Iface:
    index: int
    name: str
    mac: str | None  # None: loopback
    inet: str | None  # address/prefix, None while down
    inet6: str | None
    up: bool

    @property
    def address(self) -> str | None:
        return self.inet.split("/")[0] if self.inet else None

    @property
    def prefix(self) -> int:
        return int(self.inet.split("/")[1]) if self.inet else 0


def _link_local(mac: str) -> str:
    """fe80:: address from a MAC (modified EUI-64), as the kernel assigns it."""
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 0x02
    eui = [b[0], b[1], b[2], 0xFF, 0xFE, b[3], b[4], b[5]]
    return f"{ipaddress.IPv6Address(bytes([0xFE, 0x80, 0, 0, 0, 0, 0, 0, *eui]))}/64"


def wifi_enabled(ctx: Ctx) -> bool:
    glob = ctx.device.settings.get("global", {})
    return glob.get("wifi_on", "1") != "0" and glob.get("airplane_mode_on", "0") != "1"


def interfaces(ctx: Ctx) -> list[Iface]:
    mac = ctx.device.wifi_mac.lower()
    wifi = wifi_enabled(ctx)
    return [
        Iface(1, "lo", None, "127.0.0.1/8", "::1/128", True),
        Iface(12, "wlan0", mac, "10.0.2.16/24" if wifi else None,
              _link_local(mac) if wifi else None, wifi),
    ]


def _mask(prefix: int) -> str:
    bits = (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
    return ".".join(str((bits >> s) & 0xFF) for s in (24, 16, 8, 0))


def _bcast(iface: Iface) -> str:
    parts = [int(x) for x in (iface.address or "0.0.0.0").split(".")]
    host_bits = 32 - iface.prefix
    value = (parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]) | ((1 << host_bits) - 1)
    return ".".join(str((value >> s) & 0xFF) for s in (24, 16, 8, 0))


def _ifconfig_block(iface: Iface) -> str:
    if iface.mac is None:
        lines = [f"{iface.name:<10}Link encap:Local Loopback "]
    else:
        lines = [f"{iface.name:<10}Link encap:Ethernet  HWaddr {iface.mac}  Driver mac80211_hwsim"]
    pad = " " * 10
    if iface.inet:
        bcast = f"  Bcast:{_bcast(iface)}" if iface.mac else ""
        lines.append(f"{pad}inet addr:{iface.address}{bcast}  Mask:{_mask(iface.prefix)} ")
    if iface.inet6:
        scope = "Host" if iface.mac is None else "Link"
        lines.append(f"{pad}inet6 addr: {iface.inet6} Scope: {scope}")
    state = ("UP LOOPBACK RUNNING  MTU:65536" if iface.mac is None
             else "UP BROADCAST RUNNING MULTICAST  MTU:1500" if iface.up
             else "BROADCAST MULTICAST  MTU:1500")
    lines.append(f"{pad}{state}  Metric:1")
    lines.append(f"{pad}RX packets:0 errors:0 dropped:0 overruns:0 frame:0 ")
    lines.append(f"{pad}TX packets:0 errors:0 dropped:0 overruns:0 carrier:0 ")
    lines.append(f"{pad}collisions:0 txqueuelen:1000 ")
    lines.append(f"{pad}RX bytes:0 TX bytes:0 ")
    return "\n".join(lines) + "\n\n"


@command("ifconfig")
async def ifconfig(ctx: Ctx) -> int:
    names = [a for a in ctx.args if not a.startswith("-")]
    show_all = "-a" in ctx.args
    table = interfaces(ctx)
    if names:
        if len(names) > 1:
            raise CommandError("ifconfig: changing interfaces needs root", 1)
        found = [i for i in table if i.name == names[0]]
        if not found:
            raise CommandError(f"ifconfig: {names[0]}: No such device", 1)
        table = found
    elif not show_all:
        table = [i for i in table if i.up]
    await ctx.out("".join(_ifconfig_block(i) for i in table))
    return 0


def _ip_link(iface: Iface) -> str:
    if iface.mac is None:
        return (f"{iface.index}: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state "
                "UNKNOWN group default qlen 1000\n"
                "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n")
    flags, state = ("BROADCAST,MULTICAST,UP,LOWER_UP", "UP") if iface.up else (
        "BROADCAST,MULTICAST", "DOWN")
    return (f"{iface.index}: {iface.name}: <{flags}> mtu 1500 qdisc mq state {state} "
            "group default qlen 1000\n"
            f"    link/ether {iface.mac} brd ff:ff:ff:ff:ff:ff\n")


def _ip_addr(iface: Iface, family: str) -> str:
    text = _ip_link(iface)
    if iface.inet and family in ("", "4"):
        brd = f" brd {_bcast(iface)}" if iface.mac else ""
        scope = "host" if iface.mac is None else "global"
        text += (f"    inet {iface.inet}{brd} scope {scope} {iface.name}\n"
                 "       valid_lft forever preferred_lft forever\n")
    if iface.inet6 and family in ("", "6"):
        scope = "host" if iface.mac is None else "link"
        text += (f"    inet6 {iface.inet6} scope {scope}\n"
                 "       valid_lft forever preferred_lft forever\n")
    return text


@command("ip")
async def ip(ctx: Ctx) -> int:
    args = list(ctx.args)
    family = ""
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt in ("-4", "-6"):
            family = opt[1]
        elif opt in ("-f", "-family"):
            value = args.pop(0) if args else ""
            family = {"inet": "4", "inet6": "6"}.get(value, "")
    obj = args.pop(0) if args else ""
    if args and args[0] in ("show", "list", "ls", "sh", "s", "l"):
        args.pop(0)
    if args and args[0] == "dev":
        args.pop(0)
    table = interfaces(ctx)
    if obj in ("route", "r", "ro"):
        wifi = next(i for i in table if i.name == "wlan0")
        if wifi.inet and family != "6":
            await ctx.out("10.0.2.0/24 dev wlan0 proto kernel scope link src 10.0.2.16 \n")
        return 0
    if obj not in ("addr", "address", "a", "link", "l"):
        raise CommandError(f'Object "{obj}" is unknown, try "ip help".', 1)
    if args:
        table = [i for i in table if i.name == args[0]]
        if not table:
            raise CommandError(f'Device "{args[0]}" does not exist.', 1)
    render = _ip_link if obj in ("link", "l") else (lambda i: _ip_addr(i, family))
    await ctx.out("".join(render(i) for i in table))
    return 0


@command("svc")
async def svc(ctx: Ctx) -> int:
    args = ctx.args
    if len(args) < 2 or args[0] not in ("wifi", "data", "power", "usb", "nfc", "bluetooth"):
        raise CommandError("Available commands:\n    power\n    data\n    wifi\n    usb\n"
                           "    nfc\n    bluetooth", 1)
    service, verb = args[0], args[1]
    glob = ctx.device.settings.setdefault("global", {})
    key = {"wifi": "wifi_on", "data": "mobile_data", "bluetooth": "bluetooth_on"}.get(service)
    if key is not None and verb in ("enable", "disable"):
        glob[key] = "1" if verb == "enable" else "0"
    return 0
