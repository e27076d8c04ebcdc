"""The device's small POSIX-ish shell: parser, interpreter and commands."""
