"""FHIR Bulk Data Group export of a clinic: kick-off, the worker's run into NDJSON files, cancel, purge
(docs/decisions/0033-bulk-export.md)."""

import logging
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from kombu.exceptions import KombuError

from diary import insights as insight_rules
from diary.exports.fhir import (
    ROWS_PER_FETCH,
    alerts_behind,
    patient_resources,
    resource_line,
    review_mitigations,
)
from diary.kinds import KINDS
from diary.models import (
    AccessLogEntry,
    BulkExport,
    BulkExportStatus,
    CareLink,
    Clinic,
    UrgentAlert,
    User,
)
from diary.selectors import records_of
from diary.selectors.bulk_export import clinic_links, clinic_links_page
from diary.selectors.facts import patient_facts

log = logging.getLogger(__name__)

# The types a Group export writes, each to its own file, in this order: the records' types are their
# kinds' (diary.kinds), in the API's order.
RESOURCE_TYPES = (
    "Patient",
    *dict.fromkeys(kind.fhir_resource_type for kind in KINDS),
    "DetectedIssue",
)
# Every spelling the Bulk Data IG says a server shall accept for NDJSON.
OUTPUT_FORMATS = frozenset({"application/fhir+ndjson", "application/ndjson", "ndjson"})
KNOWN_PARAMETERS = frozenset({"_outputFormat", "_since", "_type"})
# Patients read, logged and counted per step; between steps the job looks whether it was cancelled.
PAGE_SIZE = 100
# A pending job no worker took this long after it was queued is queued again (a broker that was down,
# a message lost); the status poll does it, so a client that keeps polling gets its export.
REQUEUE_AFTER = timedelta(minutes=1)
# A running job untouched this long belonged to a worker that died: a redelivery may take it over.
RUN_TIME_LIMIT = timedelta(minutes=30)
STALE_RUN = RUN_TIME_LIMIT + timedelta(minutes=5)
ACCESS_ACTION = "bulk export fhir"
# Stored with the failed job in English, and translated when the status is polled (diary.api.bulk_export).
EXPORT_FAILED = gettext_noop(
    "The export failed on the server. Start a new export; if it fails again, tell support."
)


class BadExportParameter(Exception):
    """A kick-off parameter the export cannot honour; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ExportRequest:
    since: datetime | None = None
    types: tuple[str, ...] = field(default=())


def parse_instant(value: str) -> datetime | None:
    """A FHIR instant (date, time to the second, zone); None when it is not one. A "+" sent unencoded in
    a query string arrives as a space: read it back as the offset it was."""
    value = value.strip().replace(" ", "+")
    moment = parse_datetime(value) if "T" in value else None
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def export_request(params: Mapping[str, str], *, lenient: bool = False) -> ExportRequest:
    """The kick-off's parameters, checked; raises BadExportParameter naming the first wrong one. An
    unknown parameter is refused unless the client sent `Prefer: handling=lenient` (Bulk Data IG)."""
    unknown = sorted(set(params) - KNOWN_PARAMETERS)
    if unknown and not lenient:
        raise BadExportParameter(
            unknown[0], _("%(name)s is not a parameter this server supports.") % {"name": unknown[0]}
        )
    output_format = params.get("_outputFormat")
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise BadExportParameter(
            "_outputFormat",
            _("_outputFormat must be application/fhir+ndjson (or application/ndjson, ndjson)."),
        )
    since = None
    if params.get("_since") is not None:
        since = parse_instant(params["_since"])
        if since is None:
            raise BadExportParameter(
                "_since", _("_since must be a FHIR instant with its zone, such as 2026-12-01T08:00:00Z.")
            )
    types: tuple[str, ...] = ()
    if params.get("_type") is not None:
        asked = [name.strip() for name in params["_type"].split(",") if name.strip()]
        wrong = [name for name in asked if name not in RESOURCE_TYPES]
        if wrong or not asked:
            raise BadExportParameter(
                "_type",
                _("_type may name only %(types)s (comma-separated).") % {"types": ", ".join(RESOURCE_TYPES)},
            )
        types = tuple(name for name in RESOURCE_TYPES if name in asked)
    return ExportRequest(since=since, types=types)


def _queue(export_id) -> None:
    from diary import tasks  # tasks call services: imported here, not at the top

    try:
        tasks.run_bulk_export.delay(str(export_id))
    except (KombuError, OSError) as exc:  # the broker is down: the job stands, the status poll re-queues it
        log.error("bulk export not queued: %s", type(exc).__name__)


def bulk_export_kick_off(
    *, clinic: Clinic, requested_by: User, request_url: str, request: ExportRequest
) -> BulkExport:
    """A pending export job, queued for a worker once the row is committed."""
    export = BulkExport.objects.create(
        clinic=clinic,
        requested_by=requested_by,
        request_url=request_url,
        since=request.since,
        types=list(request.types),
    )
    transaction.on_commit(lambda: _queue(export.pk))
    return export


def bulk_export_requeue_if_stalled(*, export: BulkExport) -> bool:
    """Queue a job again when no worker has it: a pending one no worker took within REQUEUE_AFTER, or a
    running one untouched for STALE_RUN, whose worker died (past the task's hard time limit, so it cannot
    still be writing) and whose message may be gone with it (a Redis restarted without persistence
    forgets an unacknowledged task). The task then takes it over (bulk_export_run). Of two polls at
    once, only the one whose update claims it queues."""
    if export.status not in (BulkExportStatus.PENDING, BulkExportStatus.RUNNING):
        return False
    now = timezone.now()
    stalled = Q(status=BulkExportStatus.PENDING) | Q(
        status=BulkExportStatus.RUNNING, started_at__lt=now - STALE_RUN
    )
    claimed = (
        BulkExport.objects.filter(pk=export.pk, queued_at__lt=now - REQUEUE_AFTER)
        .filter(stalled)
        .update(queued_at=now)
    )
    if claimed:
        _queue(export.pk)
    return bool(claimed)


def storage_dir(export_id) -> Path:
    return Path(settings.BULK_EXPORT_ROOT) / str(export_id)


def file_path(export_id, resource_type: str) -> Path:
    return storage_dir(export_id) / f"{resource_type}.ndjson"


def _remove_files(export_id) -> None:
    shutil.rmtree(storage_dir(export_id), ignore_errors=True)


def bulk_export_cancel(*, export: BulkExport) -> None:
    """Cancel the job (a running one stops at its next page) and delete any files it wrote."""
    BulkExport.objects.filter(pk=export.pk).update(
        status=BulkExportStatus.CANCELLED, finished_at=timezone.now(), files=[]
    )
    _remove_files(export.pk)


class NdjsonFiles:
    """One NDJSON file per resource type, opened when its first line comes and written line by line
    (UTF-8, as the Bundle): nothing of a patient is held beyond the line being written."""

    def __init__(self, export_id):
        self.export_id = export_id
        self.handles: dict = {}
        self.counts: dict[str, int] = {}

    def write(self, resource: dict) -> None:
        kind = resource["resourceType"]
        handle = self.handles.get(kind)
        if handle is None:
            path = file_path(self.export_id, kind)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.handles[kind] = path.open("wb")
            self.counts[kind] = 0
        handle.write(resource_line(resource))
        self.counts[kind] += 1

    def close(self) -> list[dict]:
        for handle in self.handles.values():
            handle.close()
        return [{"type": kind, "count": self.counts[kind]} for kind in RESOURCE_TYPES if kind in self.counts]


def _changed_since(insight, alerts, *, since: datetime, base_url: str) -> bool:
    """An insight is new to the client when its evidence, a review or the patient's acknowledgement is
    at or after `since`: it has no row of its own to carry a last-changed time."""
    if insight.last_seen is not None and insight.last_seen >= since:
        return True
    behind = alerts_behind(insight, alerts)
    return any(
        datetime.fromisoformat(mitigation["date"]) >= since
        for mitigation in review_mitigations(behind, base_url=base_url, viewer_id=None)
    )


def _patient_resources(export: BulkExport, link: CareLink, *, now: datetime):
    """The patient's resources this export asked for: Observations of records changed since `since`,
    current insights changed since, and the Patient when anything of theirs is written or they joined
    the clinic's list since (a new member of the Group needs their Patient)."""
    patient = link.patient
    wanted = set(export.types or RESOURCE_TYPES)
    since = export.since
    base_url = settings.PUBLIC_BASE_URL
    records = {}
    for kind in KINDS:  # the API's order
        if kind.fhir_resource_type in wanted:
            rows = records_of(kind.model, patient=patient).reverse()
            if since is not None:
                rows = rows.filter(updated_at__gte=since)
            records[kind.segment] = rows.values(*kind.fhir_fields).iterator(chunk_size=ROWS_PER_FETCH)
    current, alerts = [], []
    if "DetectedIssue" in wanted:
        current = insight_rules.evaluate(patient_facts(patient, now=now))
        alerts = list(UrgentAlert.objects.filter(patient=patient)) if current else []
        if since is not None:
            current = [i for i in current if _changed_since(i, alerts, since=since, base_url=base_url)]
    entries = patient_resources(
        patient,
        records=records,
        base_url=base_url,
        insights=current,
        alerts=alerts,
        viewer_id=export.requested_by_id,
        clinic_reference=link.clinic_reference,
        # The reference is the clinic's number for the patient, so its identifier system is the clinic's.
        reference_owner_id=export.clinic_id,
        relative_references=True,
    )
    patient_resource = next(entries)["resource"]
    written_any = False
    for entry in entries:
        written_any = True
        yield entry["resource"]
    if "Patient" in wanted and (since is None or written_any or link.created_at >= since):
        yield patient_resource


def bulk_export_run(*, export_id) -> None:
    """Write the clinic's patients into NDJSON files, a page of patients at a time, logging every read
    with the clinic; stops early when cancelled. Run by the worker (tasks.run_bulk_export)."""
    now = timezone.now()
    claimed = (
        BulkExport.objects.filter(pk=export_id)
        .filter(
            Q(status=BulkExportStatus.PENDING)
            | Q(status=BulkExportStatus.RUNNING, started_at__lt=now - STALE_RUN)
        )
        .update(status=BulkExportStatus.RUNNING, started_at=now, transaction_time=now, patients_done=0)
    )
    if not claimed:  # another worker has it, or it was cancelled
        return
    export = BulkExport.objects.select_related("clinic", "requested_by").get(pk=export_id)
    _remove_files(export.pk)  # a run taken over from a dead worker starts its files afresh
    total = clinic_links(clinic_id=export.clinic_id).count()
    BulkExport.objects.filter(pk=export.pk).update(patients_total=total)
    files = NdjsonFiles(export.pk)
    try:
        done, last = 0, None
        while page := clinic_links_page(clinic_id=export.clinic_id, after_patient_id=last, size=PAGE_SIZE):
            for link in page:
                for resource in _patient_resources(export, link, now=now):
                    files.write(resource)
            AccessLogEntry.objects.bulk_create(
                AccessLogEntry(
                    patient=link.patient,
                    clinician=export.requested_by,
                    clinician_name=export.requested_by.name,
                    clinic=export.clinic,
                    clinic_name=export.clinic.name,
                    action=ACCESS_ACTION,
                )
                for link in page
            )
            done, last = done + len(page), page[-1].patient_id
            still_running = BulkExport.objects.filter(pk=export.pk, status=BulkExportStatus.RUNNING).update(
                patients_done=done
            )
            if not still_running:  # cancelled: nothing is kept
                files.close()
                _remove_files(export.pk)
                return
        written = files.close()
    except Exception:
        files.close()
        _remove_files(export.pk)
        log.exception("bulk export %s failed", export.pk)
        BulkExport.objects.filter(pk=export.pk, status=BulkExportStatus.RUNNING).update(
            status=BulkExportStatus.FAILED,
            finished_at=timezone.now(),
            error=EXPORT_FAILED,
        )
        return
    finished = timezone.now()
    completed = BulkExport.objects.filter(pk=export.pk, status=BulkExportStatus.RUNNING).update(
        status=BulkExportStatus.COMPLETED,
        files=written,
        finished_at=finished,
        expires_at=finished + timedelta(hours=settings.BULK_EXPORT_LIFETIME_HOURS),
    )
    if not completed:  # cancelled while the last page was written
        _remove_files(export.pk)


def bulk_export_purge(*, now: datetime | None = None) -> int:
    """Delete exports whose files have expired, and cancelled or failed ones as old, with their files."""
    now = now or timezone.now()
    lifetime = timedelta(hours=settings.BULK_EXPORT_LIFETIME_HOURS)
    gone = BulkExport.objects.filter(
        Q(status=BulkExportStatus.COMPLETED, expires_at__lte=now)
        | Q(status__in=[BulkExportStatus.CANCELLED, BulkExportStatus.FAILED], created_at__lte=now - lifetime)
    )
    ids = list(gone.values_list("pk", flat=True))
    for export_id in ids:
        _remove_files(export_id)
    BulkExport.objects.filter(pk__in=ids).delete()
    return len(ids)
