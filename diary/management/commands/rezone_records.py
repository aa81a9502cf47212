"""manage.py rezone_records: staff re-derive a patient's records on purpose, or move them to the zone they
were really lived in (docs/decisions/0037)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from diary.models import Role, User
from diary.nights import is_known_timezone
from diary.services.records import records_rezone


def aware_moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise CommandError(f"{text!r} needs its offset, such as 2026-03-29T00:00+02:00")
    return moment


class Command(BaseCommand):
    help = (
        "Re-derive a patient's records (local dates, nights, nocturnal), each in its own zone; with --zone, "
        "first set the zone of the records timed in [--since, --until] (a phone set to the wrong zone). "
        "Written in the admin's log under --staff."
    )

    def add_arguments(self, parser):
        parser.add_argument("patient", help="The patient's email address.")
        parser.add_argument("--staff", required=True, help="Your own (staff) email address, for the log.")
        parser.add_argument("--zone", help="The IANA zone the records were lived in, such as Asia/Tokyo.")
        parser.add_argument("--since", type=aware_moment, help="ISO 8601 with offset; default the start.")
        parser.add_argument("--until", type=aware_moment, help="ISO 8601 with offset; default now.")

    def handle(self, *args, patient: str, staff: str, zone, since, until, **options) -> None:
        person = User.objects.filter(email__iexact=patient.strip(), role=Role.PATIENT).first()
        if person is None:
            raise CommandError(f"No patient has the address {patient!r}.")
        member = User.objects.filter(email__iexact=staff.strip(), is_staff=True, is_active=True).first()
        if member is None:
            raise CommandError(f"No active staff account has the address {staff!r}.")
        if zone is not None and not is_known_timezone(zone):
            raise CommandError(f"{zone!r} is not a known IANA time zone, such as Europe/Berlin.")
        written = records_rezone(patient=person, staff=member, timezone=zone, since=since, until=until)
        moved = f" to {zone}" if zone else ""
        self.stdout.write(f"{written} records of {person.email} re-derived{moved}.")
