"""consent-harness: does an Android app touch personal information before consent?"""

__version__ = "0.1.0"
