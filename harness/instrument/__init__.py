"""Frida host side: device pick, launch strategies, agent messages, trace streaming.

Never imports the simulator: a simulated device is reached over ADB and Frida only.
"""

from harness.instrument.agent import agent_source
from harness.instrument.fridadev import FRIDA_ERRORS, FridaTarget, pick_frida_device
from harness.instrument.launch import agent_config, launch, wait_local_vm_ready
from harness.instrument.messages import PROTOCOL, InitResult, parse_message
from harness.instrument.session import InstrumentedApp
from harness.instrument.translate import Translator
from harness.instrument.types import HookReport, LaunchInfo, Strategy

__all__ = [
    "FRIDA_ERRORS",
    "PROTOCOL",
    "FridaTarget",
    "HookReport",
    "InitResult",
    "InstrumentedApp",
    "LaunchInfo",
    "Strategy",
    "Translator",
    "agent_config",
    "agent_source",
    "launch",
    "parse_message",
    "pick_frida_device",
    "wait_local_vm_ready",
]
