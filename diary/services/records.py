"""Creating, editing and deleting diary records, with idempotent creates for offline clients.

Every write here also marks the patient's clinician summary stale: the database does that, by the
triggers of migration 0005, so that no write path can forget it (docs/decisions/0017).
"""

import hashlib
import json
import uuid
from collections.abc import Iterable
from datetime import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction

from diary.models import DIARY_MODELS, CheckIn, CrampEpisode, DiaryRecord, User
from diary.nights import is_known_timezone, is_nocturnal, local_time, night_of


class IdConflict(Exception):
    """The client-chosen id is already taken by a record created from a different request."""


class FingerprintEncoder(DjangoJSONEncoder):
    def default(self, o):
        # A row another field names (a factor entry's factor) is its id, as the request sent it.
        if isinstance(o, models.Model):
            return str(o.pk)
        return super().default(o)


def request_fingerprint(data: dict) -> str:
    """A digest of the validated create request: equal bodies give equal digests, whatever the key order
    or the offset a time was written in."""
    canonical = json.dumps(data, cls=FingerprintEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def derive_fields(record: DiaryRecord, patient: User) -> None:
    """Fill the fields computed from the record's own zone and the patient's night window.

    The zone is the one the record was lived in (docs/decisions/0037): a later move of the profile's
    zone leaves its local date and night as they were. A record made without one (a bulk load, a script)
    was lived in the profile's zone, as a create that sends none."""
    if not record.timezone:
        record.timezone = patient.timezone
    moment = record.moment()
    if not isinstance(moment, datetime):  # a kind timed by a local date (a medication's start) is on it
        record.local_date = moment
        return
    local = local_time(moment, record.timezone)
    record.local_date = local.date()
    if isinstance(record, CrampEpisode):
        record.night = night_of(local)
        record.is_nocturnal = is_nocturnal(
            local=local,
            woke_from_sleep=record.woke_from_sleep,
            activity=record.activity,
            night_start=patient.night_start,
            night_end=patient.night_end,
        )


def _replay(model: type[DiaryRecord], *, patient: User, record_id: uuid.UUID, fingerprint: str):
    existing = model.objects.filter(pk=record_id).first()
    if existing is None:
        return None
    # Another patient's id or a different body: the same answer, so nothing about the row leaks.
    if existing.patient_id != patient.pk or existing.create_fingerprint != fingerprint:
        raise IdConflict
    return existing


def record_create(
    *, model: type[DiaryRecord], patient: User, data: dict, record_id: uuid.UUID | None = None
) -> tuple[DiaryRecord, bool]:
    """Create a record; a replay of the same create returns the record as it is now, creating nothing.

    Returns (record, created). Raises IdConflict for a known id with a different request.
    """
    # The digest is of the request as sent: a create that left its zone out takes the profile's at this
    # moment (derive_fields), and its replay (the same body, after the profile moved) is still recognised.
    fingerprint = request_fingerprint(data)
    record = model(patient=patient, create_fingerprint=fingerprint, **data)
    if record_id is not None:
        record.pk = record_id
    derive_fields(record, patient)
    urgent = alerts().urgent_codes(record, patient=patient) if model is CheckIn else []
    try:
        if urgent:
            # The check-in and the alerts it raises are one: neither is kept without the other.
            with transaction.atomic():
                _insert(record)
                alerts().alerts_raise(checkin=record, patient=patient, codes=urgent)
        else:
            _insert(record)
    except IntegrityError:
        # The id is taken: by this very request sent before (a replay, which raises nothing again),
        # by a request racing this one, or by a different record. Which one, the stored row says.
        existing = record_id and _replay(model, patient=patient, record_id=record_id, fingerprint=fingerprint)
        if not existing:
            raise
        return existing, False
    return record, True


def alerts():
    """diary.services.alerts, imported when first needed: it imports the reminder services, which
    import this module."""
    from diary.services import alerts as module

    return module


def _insert(record: DiaryRecord) -> None:
    """Insert, never update (force_insert: a taken id must fail, not overwrite the other row).

    Most creates are new, so the insert is tried first rather than looking the id up. Outside a
    transaction the INSERT is its own; inside one, a savepoint keeps a failed insert from
    poisoning it.
    """
    if connection.in_atomic_block:
        with transaction.atomic():
            record.save(force_insert=True)
    else:
        record.save(force_insert=True)


def record_update(*, record: DiaryRecord, data: dict) -> DiaryRecord:
    is_checkin = isinstance(record, CheckIn)
    before = alerts().urgent_codes(record, patient=record.patient) if is_checkin else []
    for field, value in data.items():
        setattr(record, field, value)
    derive_fields(record, record.patient)
    # Only a warning the edit adds raises: correcting the notes of an urgent check-in tells nobody again.
    added = (
        [code for code in alerts().urgent_codes(record, patient=record.patient) if code not in before]
        if is_checkin
        else []
    )
    if not added:
        record.save()
        return record
    with transaction.atomic():
        record.save()
        alerts().alerts_raise(checkin=record, patient=record.patient, codes=added)
    return record


def record_delete(*, record: DiaryRecord) -> None:
    record.delete()


def derived_fields_of(model: type[DiaryRecord]) -> list[str]:
    return ["local_date"] + (["night", "is_nocturnal"] if model is CrampEpisode else [])


def records_rederive(
    *,
    patient: User,
    models: Iterable[type[DiaryRecord]] = DIARY_MODELS,
    timezone: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Recompute local dates and nights, each record in its own zone: after a night-window change, or on
    purpose by staff (records_rezone). With `timezone`, the records (those timed in [since, until] when
    given) are first moved to that zone. Returns how many records were written."""
    written = 0
    for model in models:
        fields = derived_fields_of(model) + (["timezone"] if timezone else [])
        rows = model.objects.filter(patient=patient)
        if since is not None:
            rows = rows.filter(**{f"{model.TIME_FIELD}__gte": since})
        if until is not None:
            rows = rows.filter(**{f"{model.TIME_FIELD}__lte": until})
        batch = []
        for record in rows.iterator(chunk_size=1000):
            if timezone:
                record.timezone = timezone
            derive_fields(record, patient)
            batch.append(record)
            if len(batch) == 1000:
                model.objects.bulk_update(batch, fields)
                written += len(batch)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)
            written += len(batch)
    return written


@transaction.atomic
def records_rezone(
    *,
    patient: User,
    staff: User,
    timezone: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Staff re-derive a patient's records on purpose, written in the admin's log under their name: with
    `timezone`, the records timed in [since, until] (all when not given) were lived in that zone (a phone
    set to the wrong one); without, each is re-derived in its own zone. Returns how many were written."""
    if timezone is not None and not is_known_timezone(timezone):
        raise ValueError(f"{timezone!r} is not a known IANA time zone")
    written = records_rederive(patient=patient, timezone=timezone, since=since, until=until)
    span = f" timed from {since.isoformat() if since else 'the start'}"
    span += f" to {until.isoformat() if until else 'now'}"
    what = (
        f"Moved {written} records{span} to {timezone}" if timezone else f"Re-derived {written} records{span}"
    )
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[patient],
        action_flag=CHANGE,
        change_message=f"{what}, each dated in its own zone.",
        single_object=True,
    )
    return written
