"""Command-line entry points, one module per command (see cli/main.py)."""
