from django.core.management.base import BaseCommand
from django.db import transaction

from voices.core.demo import seeders


class Command(BaseCommand):
    help = "Create (or complete) the demo programme. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, quiet_logins: bool = False, **options):
        logins: list[tuple[str, str, str]] = []
        with transaction.atomic():
            for _label, seed in seeders():
                logins += seed(self.stdout) or []
        if quiet_logins or not logins:
            return
        from voices.core.demo import DEMO_PASSWORD

        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, role, note in logins:
            self.stdout.write(f"  {username:<14} {role:<34} {note}")
