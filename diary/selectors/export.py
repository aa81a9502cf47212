"""Reads for the exports: a kind's records as text cells for the CSV, and what is kept about the patient
beyond the diary records, oldest first."""

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Case, CharField, F, Func, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Coalesce

from diary.models import (
    ClaudicationAnswer,
    Delivery,
    InsightAcknowledgement,
    PushSubscription,
    Reminder,
    ShareCode,
    UrgentAlert,
    User,
)
from diary.selectors import access_log_of, links_of, records_of

# Rows fetched at a time: the same memory whatever the diary's length.
ROWS_PER_FETCH = 500


class UtcText(Func):
    """An instant as the text of UTC's clock, "2026-11-30 03:48:00[.ffffff]", which
    datetime.fromisoformat reads several times faster than the driver makes a datetime."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django writes an instant into SQLite as exactly that text, on the connection's clock (UTC).
        return self.as_sql(compiler, connection, template="%(expressions)s", **extra)


class LocalMinuteText(Func):
    """An instant on a zone's clock to the minute, "2026-11-30 03:48", as PostgreSQL converts it (the
    same tz database as Python's zoneinfo on the machine), "" for none."""

    arg_joiner = " AT TIME ZONE "
    template = "COALESCE(to_char(%(expressions)s, 'YYYY-MM-DD HH24:MI'), '')"
    output_field = CharField()


def local_minute_cell(name: str, zone_field: str):
    """What to read for an instant's cell on its row's clock (the zone named by the row's `zone_field`):
    the text itself on PostgreSQL (one conversion in C per row, not in Python), or None where Python must
    convert it (zoned_instant)."""
    if connection.vendor == "postgresql":
        return LocalMinuteText(F(name), F(zone_field))
    return None


class ZonedInstantText(Func):
    """An instant as the text the database keeps it in and its row's zone, "2026-11-30 03:48:00|Asia/Tokyo";
    "" for none."""

    arg_joiner = " || '|' || "
    template = "COALESCE(%(expressions)s, '')"
    output_field = CharField()


def zoned_instant(name: str, zone_field: str = "timezone"):
    """What to read for an instant's cell on its row's own clock where Python converts it."""
    return ZonedInstantText(F(name), F(zone_field))


def zoned_instant_parts(text: str) -> tuple[datetime, str]:
    """A ZonedInstantText read back: the instant, naive on UTC's clock, and the zone's name. SQLite keeps an
    instant as text on the connection's clock (UTC unless its TIME_ZONE says otherwise)."""
    stored, _bar, zone_name = text.rpartition("|")
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=connection.timezone)
    return moment.astimezone(UTC).replace(tzinfo=None), zone_name


def reads_text_cells() -> bool:
    """Whether instants and ids can be read as text (UtcText): PostgreSQL, and SQLite keeping UTC."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and connection.settings_dict.get("TIME_ZONE") in (None, "UTC")


def instant_cell(name: str):
    """What to read for an instant: its UTC text where reads_text_cells(), else the datetime."""
    return UtcText(name) if reads_text_cells() else F(name)


def uuid_cell(name: str):
    """What to read for a UUID: its canonical text ("" for none) on PostgreSQL, or the UUID itself
    elsewhere (SQLite keeps it without hyphens), and whether the text is the cell's already."""
    if connection.vendor == "postgresql":
        return Coalesce(Cast(name, TextField()), Value(""), output_field=TextField()), True
    return F(name), False


def integer_text(name: str):
    """An integer's cell as the database writes it, as str() does: "-3"; "" for none."""
    return Coalesce(Cast(name, TextField()), Value(""), output_field=TextField())


def boolean_text(name: str):
    """A boolean's cell as the API's JSON writes it: "true", "false"; "" for none."""
    return Case(
        When(**{name: True}, then=Value("true")),
        When(**{name: False}, then=Value("false")),
        default=Value(""),
        output_field=CharField(),
    )


def record_cells(model, *, patient: User, cells: Sequence) -> Iterator[tuple]:
    """A patient's records of one kind, oldest first, as tuples of `cells` (expressions), read a fetch
    at a time from one query."""
    names = {f"cell_{index}": expression for index, expression in enumerate(cells)}
    return (
        records_of(model, patient=patient)
        .reverse()
        .annotate(**names)
        .values_list(*names)
        .iterator(chunk_size=ROWS_PER_FETCH)
    )


def claudication_answers_of(*, patient: User) -> QuerySet:
    return ClaudicationAnswer.objects.filter(patient=patient).order_by("answered_at", "id")


def reminders_of(*, patient: User) -> QuerySet:
    return Reminder.objects.filter(patient=patient).order_by("created_at", "id")


def deliveries_of(*, patient: User) -> QuerySet:
    # A reminder's deliveries only: an alert's go to the clinician, and are not the patient's.
    return Delivery.objects.filter(reminder__patient=patient).order_by("scheduled_for", "channel", "id")


def acknowledgements_of(*, patient: User) -> QuerySet:
    return InsightAcknowledgement.objects.filter(patient=patient).order_by("acknowledged_at", "id")


def urgent_alerts_of(*, patient: User) -> QuerySet:
    """Every clinician told of the patient's urgent warnings, and how each alert was reviewed; kept
    after a link is revoked, as the access log is."""
    return (
        UrgentAlert.objects.filter(patient=patient)
        .select_related("patient", "clinician", "clinic", "reviewed_by")
        .order_by("raised_at", "id")
    )


def push_subscriptions_of(*, patient: User) -> QuerySet:
    # The keys are the browser's encryption secrets: not even read.
    return (
        PushSubscription.objects.filter(patient=patient)
        .only("endpoint", "created_at")
        .order_by("created_at", "id")
    )


def share_codes_of(*, patient: User) -> QuerySet:
    # The digest is not read: a code still unredeemed could be guessed against it offline.
    return (
        ShareCode.objects.filter(patient=patient)
        .select_related("redeemed_by")
        .only(
            "created_at",
            "expires_at",
            "redeemed_at",
            "redeemed_by",
            "redeemed_by__display_name",
            "redeemed_by__email",
        )
        .order_by("created_at", "id")
    )


def sharing_links_of(*, patient: User) -> QuerySet:
    return links_of(user=patient).reverse()


def access_log_entries_of(*, patient: User) -> QuerySet:
    return access_log_of(patient=patient).reverse()
