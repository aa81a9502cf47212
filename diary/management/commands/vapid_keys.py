"""Writes a development VAPID key pair to an env file, once (make run); production sets its own."""

from pathlib import Path

from django.core.management.base import BaseCommand

from diary.push import generate_vapid_keys


class Command(BaseCommand):
    help = "Create VAPID keys for Web Push in an env file, unless the file exists."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if path.exists():
            return
        private_key, public_key = generate_vapid_keys()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"VAPID_PRIVATE_KEY={private_key}\nVAPID_PUBLIC_KEY={public_key}\n")
        path.chmod(0o600)
        self.stdout.write(f"Wrote development VAPID keys to {path} (kept out of git).")
