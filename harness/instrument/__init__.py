"""Frida host side: device pick, launch strategies, agent messages, trace streaming.

Never imports the simulator: a simulated device is reached over ADB and Frida only.
"""

from harness.instrument.agent import agent_source
from harness.instrument.fridadev import FRIDA_ERRORS, FridaTarget, pick_frida_device
from harness.instrument.messages import PROTOCOL, InitResult, parse_message
from harness.instrument.session import (
    HookReport,
    InstrumentedApp,
    LaunchInfo,
    Strategy,
    agent_config,
    launch,
)

__all__ = [
    "FRIDA_ERRORS",
    "PROTOCOL",
    "FridaTarget",
    "HookReport",
    "InitResult",
    "InstrumentedApp",
    "LaunchInfo",
    "Strategy",
    "agent_config",
    "agent_source",
    "launch",
    "parse_message",
    "pick_frida_device",
]
