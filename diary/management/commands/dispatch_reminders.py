"""Runs the reminder dispatcher once, or in a loop (for operations and the integration tests)."""

import time

from django.core.management.base import BaseCommand

from diary.tasks import dispatch_reminders


class Command(BaseCommand):
    help = "Claim due reminders and queue their deliveries, as the every-minute beat task does."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, help="Repeat every this many seconds.")
        parser.add_argument("--for", dest="duration", type=float, default=0, help="Stop after seconds.")

    def handle(self, *args, loop: float, duration: float, **options):
        started = time.monotonic()
        while True:
            claimed = dispatch_reminders()
            self.stdout.write(f"claimed {claimed} due reminders")
            if not loop or (duration and time.monotonic() - started >= duration):
                return
            time.sleep(loop)
