"""manage.py load_demo: the demo people and their diaries (see diary.demo)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from diary.demo import DEMO_PASSWORD, DEMO_SEED, load_demo
from diary.kinds import KINDS


class Command(BaseCommand):
    help = (
        f"Create the demo accounts (password {DEMO_PASSWORD}) and four months of diary, dated back from "
        "today; accounts already there are left as they are."
    )

    def add_arguments(self, parser):
        flags = parser.add_mutually_exclusive_group()
        flags.add_argument("--reset", action="store_true", help="Delete the demo accounts and load afresh.")
        flags.add_argument("--if-empty", action="store_true", help="Do nothing if any user exists.")
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="The random seed of the diaries.")

    def handle(self, *args, reset: bool, if_empty: bool, seed: int, **options) -> None:
        result = load_demo(now=timezone.now(), seed=seed, reset=reset, if_empty=if_empty)
        if result is None:
            self.stdout.write("Users exist already: no demo data loaded.")
            return
        for email, counts in result.counts.items():
            state = "created" if email in result.created else "already there, left as is"
            numbers = ", ".join(f"{counts[kind.model]} {kind.noun}" for kind in KINDS)
            self.stdout.write(f"{email} ({state}): {numbers}")
        self.stdout.write(
            f"{len(result.created)} accounts created, {len(result.kept)} already there. "
            f"Password: {DEMO_PASSWORD}"
        )
