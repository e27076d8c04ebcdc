"""The Frida agent (``agent.js``) and the sensitive-API catalog (``catalog.json``).

This folder is shipped inside the package as ``harness.hooks`` so that an installed
consent-harness finds its agent and catalog with :mod:`importlib.resources`.
"""
