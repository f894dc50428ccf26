import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from voices.core.periodic import periodic_enqueue_due


class Command(BaseCommand):
    help = "Enqueue the recurring tasks that are due (reminders, digests); --loop keeps going."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, default=0, metavar="SECONDS",
            help="Check again every SECONDS instead of once (for `make worker`).",
        )  # fmt: skip

    def handle(self, *args, loop: int, **options):
        while True:
            for name in periodic_enqueue_due(now=timezone.now()):
                self.stdout.write(f"enqueued {name}")
            if loop <= 0:
                return
            time.sleep(loop)
