"""The demo programme: each app adds its part in a `demo.py` with a `seed(out)` function.

`manage.py seed_demo` runs them lowest layer first (the order of INSTALLED_APPS), so a higher app
finds what a lower one created. Every seeder is idempotent: running it twice changes nothing.
"""

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

DEMO_PASSWORD = "voices-demo-2026"  # noqa: S105 - published on purpose: demo accounts only.


def seeders() -> list[tuple[str, Callable]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("voices."):
            continue
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        if hasattr(module, "seed"):
            found.append((config.label, module.seed))
    return found
