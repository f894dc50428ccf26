#!/usr/bin/env python
import os
import sys
from pathlib import Path


def load_local_env() -> None:
    """Read var/local.env (written by `make install`) for local work; real env vars win."""
    env_file = Path(__file__).resolve().parent / "var" / "local.env"
    if not env_file.exists():
        return
    for line in env_file.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


if __name__ == "__main__":
    load_local_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "voices.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
