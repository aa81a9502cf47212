"""Reminders: scheduling, the dispatcher's claim of due occurrences, delivery attempts, Done and Snooze.

The schedule is the `Reminder.next_fire_at` column. Once a minute `dispatch_due` claims the due rows
(row locks with SKIP LOCKED, so two dispatchers never take the same one), writes one `Delivery` per
channel *before* anything is sent, moves `next_fire_at` on, and queues a send task per pending
delivery after commit. A delivery that stays pending past its `retry_at` (a killed worker, a push
service asking us to come back later) is queued again by `requeue_due_retries`, from the database,
not the broker.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, Q, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from diary.kinds import INSTANT_MODELS
from diary.models import (
    CheckIn,
    CompressionWear,
    Delivery,
    DeliveryStatus,
    Elevation,
    Hydration,
    Reminder,
    ReminderKind,
    User,
)
from diary.reminders import in_quiet_hours, next_fire_at
from diary.services.records import record_create
from diary.zones import moment_words

# An occurrence more than this late (the service was down) is recorded as skipped, not sent at a
# surprising hour.
LATE_AFTER = timedelta(minutes=30)
DISPATCH_BATCH = 5000
# Done on an elevation reminder logs this much; hydration this many millilitres.
DONE_ELEVATION_MINUTES = 15
DONE_HYDRATION_ML = 250
# Three elevations of 15 minutes a day (PRODUCT.md): an elevation reminder is skipped past this.
DAILY_ELEVATION_TARGET_MINUTES = 45
# The weekly summary speaks of its week and the one before: with nothing logged in them, it is skipped
# (docs/decisions/0031-weekly-summary.md).
SUMMARY_DAYS = 14
NOTHING_TO_SAY = "nothing to say: nothing logged in the two weeks"


# A delivery is tried at most this many times: each lease taken is one try, finished or not.
MAX_ATTEMPTS = 5
# Why a delivery whose tries all ended with no outcome (a crash, a killed worker) was given up.
TRIES_UNFINISHED = f"gave up: {MAX_ATTEMPTS} tries ended without an outcome"


def deliveries_give_up(deliveries) -> None:
    """End as failed the deliveries (a queryset) whose tries all ended without an outcome."""
    deliveries.update(status=DeliveryStatus.FAILED, reason=TRIES_UNFINISHED, lease_until=None, retry_at=None)


def stale_after() -> timedelta:
    """How long a queued delivery may stay pending before the dispatcher queues it again."""
    return timedelta(seconds=settings.REMINDER_STALE_SECONDS)


# --- Scheduling --------------------------------------------------------------------------------


def schedule(reminder: Reminder, *, patient: User, after: datetime) -> None:
    """Set `next_fire_at` to the next occurrence after `after`, or None when disabled."""
    reminder.next_fire_at = (
        next_fire_at(clock=reminder.local_time, weekdays=reminder.weekdays, zone=patient.zone, after=after)
        if reminder.enabled
        else None
    )


def reminder_create(*, patient: User, data: dict) -> Reminder:
    reminder = Reminder(patient=patient, **data)
    schedule(reminder, patient=patient, after=timezone.now())
    reminder.save()
    return reminder


def reminder_update(*, reminder: Reminder, data: dict) -> Reminder:
    for field, value in data.items():
        setattr(reminder, field, value)
    schedule(reminder, patient=reminder.patient, after=timezone.now())
    reminder.save()
    return reminder


def reminder_delete(*, reminder: Reminder) -> None:
    reminder.delete()


def reminders_reschedule(*, patient: User) -> None:
    """After a change of time zone: every reminder's next time, in the new zone."""
    now = timezone.now()
    reminders = list(Reminder.objects.filter(patient=patient))
    for reminder in reminders:
        schedule(reminder, patient=patient, after=now)
    Reminder.objects.bulk_update(reminders, ["next_fire_at"])


def reminder_snooze(*, reminder: Reminder, minutes: int) -> Reminder:
    """Fire again in `minutes`; the regular schedule resumes after that."""
    reminder.next_fire_at = timezone.now() + timedelta(minutes=minutes)
    reminder.save(update_fields=["next_fire_at"])
    return reminder


# --- Dispatch ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuePatient:
    """The patient's columns the skip rules read: the claim loads these, not whole users."""

    timezone: str
    quiet_start: time | None
    quiet_end: time | None
    fluid_target_ml: int


@dataclass(frozen=True)
class DueReminder:
    """A claimed reminder: only the columns the tick needs, and the occurrence it is due for."""

    id: uuid.UUID
    patient_id: uuid.UUID
    kind: str
    local_time: time
    weekdays: list[int]
    channels: list[str]
    occurrence: datetime
    patient: DuePatient


class ZoneClock:
    """Zone conversions and next times for one batch, each worked out once per distinct input.

    Most reminders fall due at a few local times in a few zones (stockings on at 08:00), so a batch of
    1,000 shares a handful of conversions: the per-row work is then a dictionary look-up. The answers
    are the pure functions' own (diary.reminders), so daylight saving is handled exactly as there.
    """

    def __init__(self):
        self._local: dict = {}
        self._next: dict = {}

    def local(self, moment: datetime, zone_name: str) -> datetime:
        """The moment on the zone's wall clock (aware, in the zone)."""
        key = (moment, zone_name)
        if key not in self._local:
            self._local[key] = moment.astimezone(ZoneInfo(zone_name))
        return self._local[key]

    def next_fire_at(self, *, clock: time, weekdays: list[int], zone_name: str, after: datetime):
        key = (clock, frozenset(weekdays), zone_name, after)
        if key not in self._next:
            self._next[key] = next_fire_at(
                clock=clock, weekdays=weekdays, zone=ZoneInfo(zone_name), after=after
            )
        return self._next[key]


@dataclass
class PatientDay:
    """What a patient has already done today, for the skip rules (loaded for a whole batch at once)."""

    checkin_times: list
    stockings_on: bool
    elevation_minutes: int
    fluid_ml: int
    # Local dates with anything logged, read only for patients with a weekly summary in the batch.
    logged_dates: frozenset = frozenset()


def _array_text(values) -> str:
    """A PostgreSQL array literal of `values`, each as its text (None as NULL): one string the driver
    sends as it is, where a list is dumped element by element in Python (a third of the tick's time)."""
    return (
        "{"
        + ",".join(
            "NULL" if value is None else '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
            for value in values
        )
        + "}"
    )


def _among(ids):
    """The right-hand side of an `__in` filter on the batch's ids: on PostgreSQL one array, unnested by
    the server, rather than one literal per id written into the SQL in Python (the client-side binding)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::uuid[])", [_array_text(ids)])
    return ids


def _logged_dates(ids: set, today: dict) -> dict:
    """Local dates with any diary record in the last SUMMARY_DAYS (and a day's margin), for the patients
    whose weekly summary is due: one query per kind of record, for the whole batch."""
    if not ids:
        return {}
    todays = [today[pid] for pid in ids]
    first, last = min(todays) - timedelta(days=SUMMARY_DAYS + 1), max(todays) + timedelta(days=1)
    dates: dict = {pid: set() for pid in ids}
    for model in INSTANT_MODELS:  # a medication's start date is not a day something was logged
        rows = (
            model.objects.filter(patient_id__in=_among(ids), local_date__gte=first, local_date__lte=last)
            .values_list("patient_id", "local_date")
            .distinct()
        )
        for pid, local_date in rows:
            dates[pid].add(local_date)
    return {pid: frozenset(days) for pid, days in dates.items()}


def _patient_days(due: list[DueReminder], now: datetime, clock: ZoneClock) -> dict:
    patients = {reminder.patient_id: reminder.patient for reminder in due}
    today = {pid: clock.local(now, patient.timezone).date() for pid, patient in patients.items()}
    days = {pid: PatientDay([], False, 0, 0) for pid in patients}
    ids, dates = _among(list(patients)), set(today.values())
    for pid, recorded_at in CheckIn.objects.filter(
        patient_id__in=ids, recorded_at__gte=now - timedelta(hours=26), recorded_at__lte=now
    ).values_list("patient_id", "recorded_at"):
        days[pid].checkin_times.append(recorded_at)
    for pid in CompressionWear.objects.filter(
        patient_id__in=ids, ended_at__isnull=True, started_at__lte=now
    ).values_list("patient_id", flat=True):
        days[pid].stockings_on = True
    for model, field, attribute in (
        (Elevation, "duration_minutes", "elevation_minutes"),
        (Hydration, "volume_ml", "fluid_ml"),
    ):
        for pid, local_date, total in (
            model.objects.filter(patient_id__in=ids, local_date__in=dates)
            .values("patient_id", "local_date")
            .annotate(total=Sum(field))
            .values_list("patient_id", "local_date", "total")
        ):
            if today[pid] == local_date:
                setattr(days[pid], attribute, total)
    summary_ids = {r.patient_id for r in due if r.kind == ReminderKind.WEEKLY_SUMMARY}
    for pid, logged in _logged_dates(summary_ids, today).items():
        days[pid].logged_dates = logged
    return days


def skip_reason(reminder: DueReminder, day: PatientDay, *, now: datetime, clock: ZoneClock) -> str:
    """Why this occurrence should not be sent, or "" to send it. Pure: no queries."""
    patient, occurrence = reminder.patient, reminder.occurrence
    if now - occurrence > LATE_AFTER:
        # On the patient's own clock: they read this reason in their reminders list.
        due = moment_words(occurrence, patient.timezone)
        return f"late: due at {due}, while the reminder service was not running"
    local = clock.local(occurrence, patient.timezone)
    # The occurrence is already on the zone's clock: in_quiet_hours' conversion returns it as it is.
    if in_quiet_hours(local, local.tzinfo, patient.quiet_start, patient.quiet_end):
        return "quiet hours"
    local_today = local.date()
    kind = reminder.kind
    if kind in (ReminderKind.MORNING_CHECKIN, ReminderKind.EVENING_CHECKIN):
        checkins_today = [
            moment
            for moment in day.checkin_times
            if clock.local(moment, patient.timezone).date() == local_today
        ]
        if kind == ReminderKind.MORNING_CHECKIN and checkins_today:
            return "check-in already logged today"
        if kind == ReminderKind.EVENING_CHECKIN and any(
            occurrence - moment < timedelta(hours=6) for moment in checkins_today
        ):
            return "check-in already logged this evening"
    if kind == ReminderKind.COMPRESSION_ON and day.stockings_on:
        return "stockings already on"
    if kind == ReminderKind.COMPRESSION_OFF and not day.stockings_on:
        return "stockings already off"
    if kind == ReminderKind.ELEVATION and day.elevation_minutes >= DAILY_ELEVATION_TARGET_MINUTES:
        return "elevation target already met today"
    if kind == ReminderKind.HYDRATION and day.fluid_ml >= patient.fluid_target_ml:
        return "fluid target already met today"
    if kind == ReminderKind.WEEKLY_SUMMARY:
        first = local_today - timedelta(days=SUMMARY_DAYS - 1)
        if not any(first <= logged <= local_today for logged in day.logged_dates):
            return NOTHING_TO_SAY
    return ""


# What the claim reads: the reminder's schedule and channels, and its patient's zone and limits.
DUE_COLUMNS = (
    "id",
    "patient_id",
    "kind",
    "local_time",
    "weekdays",
    "channels",
    "next_fire_at",
    "patient__timezone",
    "patient__quiet_start",
    "patient__quiet_end",
    "patient__fluid_target_ml",
)


def _claim_due(now: datetime, batch: int) -> list[DueReminder]:
    """Lock up to `batch` due reminders that no other dispatcher holds (SKIP LOCKED), oldest first."""
    rows = (
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(enabled=True, next_fire_at__lte=now)
        .order_by("next_fire_at")
        .values_list(*DUE_COLUMNS)[:batch]
    )
    patients: dict = {}
    due = []
    for pk, patient_id, kind, local_time, weekdays, channels, occurrence, *patient_columns in rows:
        if patient_id not in patients:
            patients[patient_id] = DuePatient(*patient_columns)
        due.append(
            DueReminder(
                pk, patient_id, kind, local_time, weekdays, channels, occurrence, patients[patient_id]
            )
        )
    return due


def _move_on(next_times: dict) -> None:
    """Set each claimed reminder's next time in one UPDATE. On PostgreSQL the ids and times go as two
    arrays, joined by the server: the ORM's `id IN (...)` is one literal per row, put together in
    Python. Elsewhere one WHEN per distinct next time (a burst at one local time in one zone shares a
    single one), not one per row."""
    if connection.vendor == "postgresql":
        pairs = [(pk, value) for value, group in next_times.items() for pk in group]
        table = Reminder._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET "next_fire_at" = moved.at '
                "FROM unnest(%s::uuid[], %s::timestamptz[]) AS moved(id, at) "
                f'WHERE "{table}"."id" = moved.id',
                [_array_text(column) for column in zip(*pairs, strict=True)],
            )
        return
    ids = [pk for group in next_times.values() for pk in group]
    if len(next_times) == 1:
        (value,) = next_times
        new_time = Value(value, output_field=DateTimeField())
    else:
        new_time = Case(
            *(When(id__in=group, then=Value(value)) for value, group in next_times.items()),
            output_field=DateTimeField(),
        )
    Reminder.objects.filter(id__in=ids).update(next_fire_at=new_time)


# The columns a reminder's delivery is written with; the others are null (an alert's) or unset yet.
DELIVERY_COLUMNS = ("id", "reminder_id", "scheduled_for", "channel", "status", "reason", "retry_at")
# PostgreSQL's array types for the columns above, for the one-statement insert.
DELIVERY_ARRAYS = ("uuid", "uuid", "timestamptz", "varchar", "varchar", "varchar", "timestamptz")


def _deliveries_insert(rows: list[tuple]) -> None:
    """Write the deliveries (tuples in DELIVERY_COLUMNS' order) in one statement, without a model
    instance per row: on PostgreSQL one array per column, unnested by the server; elsewhere one
    prepared INSERT run per row by the driver, with the fields' own conversions."""
    if not rows:
        return
    table = Delivery._meta.db_table
    now = timezone.now()  # created_at, as auto_now_add would set it
    names = ", ".join(f'"{name}"' for name in (*DELIVERY_COLUMNS, "attempts", "created_at"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for kind in DELIVERY_ARRAYS)
            cursor.execute(
                f'INSERT INTO "{table}" ({names}) SELECT *, 0, %s FROM unnest({arrays})',
                [now, *(_array_text(column) for column in zip(*rows, strict=True))],
            )
        else:
            fields = [Delivery._meta.get_field(name) for name in DELIVERY_COLUMNS]
            marks = ", ".join(["%s"] * (len(DELIVERY_COLUMNS) + 2))
            created = Delivery._meta.get_field("created_at").get_db_prep_save(now, connection)
            cursor.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                [
                    (
                        *(
                            field.get_db_prep_save(value, connection)
                            for field, value in zip(fields, row, strict=True)
                        ),
                        0,
                        created,
                    )
                    for row in rows
                ],
            )


@dataclass
class Dispatched:
    claimed: int
    pending: list[uuid.UUID]  # deliveries to send, for the caller to queue once committed


def dispatch_due(*, now: datetime | None = None, batch: int = DISPATCH_BATCH) -> Dispatched:
    """Claim up to `batch` due reminders, record a delivery per channel, and move each one on."""
    now = now or timezone.now()
    retry_at = now + stale_after()
    clock = ZoneClock()
    with transaction.atomic():
        due = _claim_due(now, batch)
        if not due:
            return Dispatched(claimed=0, pending=[])
        days = _patient_days(due, now, clock)
        rows = []
        pending = []
        next_times: dict = defaultdict(list)
        for reminder in due:
            reason = skip_reason(reminder, days[reminder.patient_id], now=now, clock=clock)
            status = DeliveryStatus.SKIPPED if reason else DeliveryStatus.PENDING
            for channel in reminder.channels:
                delivery_id = uuid.uuid4()
                rows.append(
                    (
                        delivery_id,
                        reminder.id,
                        reminder.occurrence,
                        channel,
                        status,
                        reason,
                        None if reason else retry_at,
                    )
                )
                if not reason:
                    pending.append(delivery_id)
            # The next occurrence after this one: missed occurrences are each accounted for, one per
            # tick, rather than silently dropped.
            following = clock.next_fire_at(
                clock=reminder.local_time,
                weekdays=reminder.weekdays,
                zone_name=reminder.patient.timezone,
                after=reminder.occurrence,
            )
            next_times[following].append(reminder.id)
        _deliveries_insert(rows)
        _move_on(next_times)
    return Dispatched(claimed=len(due), pending=pending)


def requeue_due_retries(*, now: datetime | None = None, batch: int = DISPATCH_BATCH) -> list[uuid.UUID]:
    """Pending deliveries whose retry time has come: a worker died with them, or a push service asked
    us to come back later. Each is given a new retry time and returned for queueing; one that has had
    all its tries ends failed instead, or a send that always crashes would be queued for ever."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, retry_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("retry_at")
            .values_list("id", "attempts")[:batch]
        )
        spent = [pk for pk, attempts in due if attempts >= MAX_ATTEMPTS]
        ids = [pk for pk, attempts in due if attempts < MAX_ATTEMPTS]
        deliveries_give_up(Delivery.objects.filter(id__in=spent))
        Delivery.objects.filter(id__in=ids).update(retry_at=now + stale_after())
    return ids


# --- Done --------------------------------------------------------------------------------------


class DoneNeedsDetails(Exception):
    """Done on "stockings on" needs to know which stockings: none were ever logged or prescribed."""


def _natural_record_data(reminder: Reminder, now: datetime) -> tuple[type, dict] | None:
    patient = reminder.patient
    if reminder.kind == ReminderKind.ELEVATION:
        started = now - timedelta(minutes=DONE_ELEVATION_MINUTES)
        return Elevation, {"started_at": started, "duration_minutes": DONE_ELEVATION_MINUTES}
    if reminder.kind == ReminderKind.HYDRATION:
        return Hydration, {"taken_at": now, "volume_ml": DONE_HYDRATION_ML}
    if reminder.kind == ReminderKind.COMPRESSION_ON:
        last = CompressionWear.objects.filter(patient=patient).order_by("-started_at").first()
        if last is not None:
            garment = {"pressure_class": last.pressure_class, "garment": last.garment, "legs": last.legs}
        elif patient.compression_class:
            garment = {"pressure_class": patient.compression_class, "garment": "knee", "legs": "both"}
        else:
            raise DoneNeedsDetails
        return CompressionWear, {"started_at": now, **garment}
    return None


@transaction.atomic
def reminder_done(*, reminder: Reminder, occurrence: datetime | None = None):
    """Mark an occurrence done (the latest one when not given) and log its natural record once.

    Returns the record logged, or None (nothing to log, or this occurrence was already done).
    """
    now = timezone.now()
    deliveries = Delivery.objects.filter(reminder=reminder)
    if occurrence is None:
        latest = deliveries.filter(scheduled_for__lte=now).order_by("-scheduled_for").first()
        occurrence = latest.scheduled_for if latest else None
    if occurrence is not None:
        marked = deliveries.filter(scheduled_for=occurrence, done_at__isnull=True).update(done_at=now)
        already_done = not marked and deliveries.filter(scheduled_for=occurrence).exists()
        if already_done:
            return None
    natural = _natural_record_data(reminder, now)
    if natural is None:
        return None
    model, data = natural
    # One record per occurrence, even when Done is tapped twice or the request is retried.
    record_id = uuid.uuid5(reminder.id, occurrence.isoformat() if occurrence else now.isoformat())
    record, _ = record_create(model=model, patient=reminder.patient, data=data, record_id=record_id)
    return record
