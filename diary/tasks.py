"""Celery tasks: thin wrappers that take ids and call services (HackSoft's "tasks are an interface")."""

import logging
import smtplib
import uuid

from celery import current_app, shared_task
from django.conf import settings
from kombu.exceptions import KombuError

from diary import selectors
from diary.models import Role, User
from diary.services.accounts import password_reset_send
from diary.services.bulk_export import RUN_TIME_LIMIT, bulk_export_purge, bulk_export_run
from diary.services.clinics import clinic_invite_send
from diary.services.deliveries import DELIVERY_BATCH, deliveries_send, delivery_send
from diary.services.reminders import DISPATCH_BATCH, dispatch_due, requeue_due_retries
from diary.services.summaries import summary_refresh

log = logging.getLogger(__name__)

# A burst larger than this many batches waits for the next tick rather than hold this one forever.
MAX_BATCHES_PER_TICK = 50


def queue_each(task, ids, **options) -> int:
    """Queue the task once per id over a single broker connection, so that workers share them."""
    if not ids:  # most ticks: no broker connection taken for nothing
        return 0
    with current_app.producer_or_acquire() as producer:
        for each in ids:
            task.apply_async((str(each),), producer=producer, **options)
    return len(ids)


def queue_batches(task, ids, *, size: int = DELIVERY_BATCH) -> int:
    """Queue the task once per batch of up to `size` ids, over a single broker connection; returns the
    number of tasks queued."""
    if not ids:
        return 0
    ids = [str(each) for each in ids]
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    with current_app.producer_or_acquire() as producer:
        for batch in batches:
            task.apply_async((batch,), producer=producer)
    return len(batches)


@shared_task(ignore_result=True)
def dispatch_reminders() -> int:
    """Every minute: claim the due reminders, queue their deliveries, and re-queue any delivery left
    pending past its time (a worker that died, a push service that asked us to wait)."""
    claimed = 0
    for _ in range(MAX_BATCHES_PER_TICK):
        # dispatch_due commits before it returns, so the deliveries exist when a worker looks.
        dispatched = dispatch_due()
        queue_batches(deliver_batch, dispatched.pending)
        claimed += dispatched.claimed
        if dispatched.claimed < DISPATCH_BATCH:
            break
    queue_batches(deliver_batch, requeue_due_retries())
    return claimed


# A batch stops taking new sends at half its lease (deliveries_send); these limits stop a stuck one
# before its lease ends, so that no other worker takes a delivery this one may still be sending.
#
# Acknowledged on receipt, not late: a batch is recovered from the database (its leases and retry_at,
# requeue_due_retries), not from the broker's copy. And Celery 5.7's worker dies ("Unrecoverable error:
# AttributeError ... 'hostname'") when the broker connection is lost while a late-acknowledged task is
# running: it acknowledges it on the connection it has just dropped (bench/faults redis_restart).
DELIVERY_TASK = {
    "ignore_result": True,
    "acks_late": False,
    "soft_time_limit": settings.REMINDER_LEASE_SECONDS * 0.8,
    "time_limit": settings.REMINDER_LEASE_SECONDS,
}


@shared_task(**DELIVERY_TASK)
def deliver_batch(delivery_ids: list[str]) -> None:
    """Send a batch of deliveries (reminders' and urgent alerts'), and queue again what it had no time
    left for."""
    left = deliveries_send(delivery_ids=[uuid.UUID(each) for each in delivery_ids])
    try:
        queue_batches(deliver_batch, left)
    except (KombuError, OSError) as exc:
        # Given back with their retry time set: the dispatcher queues them from the database.
        log.error("deliveries given back not queued again: %s", type(exc).__name__)


@shared_task(**DELIVERY_TASK)
def deliver_reminder(delivery_id: str) -> None:
    """Send one delivery: of a reminder, or of an urgent alert (a batch of one; tasks queued before
    batches existed still name it)."""
    delivery_send(delivery_id=uuid.UUID(delivery_id))


@shared_task(ignore_result=True)
def refresh_summary(patient_id: str) -> None:
    patient = User.objects.filter(pk=patient_id, role=Role.PATIENT).first()
    if patient is not None:  # the account may be gone by now
        summary_refresh(patient=patient)


@shared_task(ignore_result=True)
def refresh_stale_summaries() -> int:
    """Every half minute: refresh the summaries that writes marked stale. A burst of writes (an offline
    sync) is summarised once; a refresh not run by the next tick expires, as the tick queues it again."""
    stale = selectors.stale_summary_patient_ids()
    return queue_each(refresh_summary, stale, expires=settings.SUMMARY_REFRESH_SECONDS)


@shared_task(ignore_result=True)
def refresh_all_summaries() -> int:
    """Nightly: the 28-day window has moved for everyone."""
    patient_ids = list(User.objects.filter(role=Role.PATIENT).values_list("pk", flat=True))
    return queue_each(refresh_summary, patient_ids)


# An email sent by a worker: a mail server that is down is tried again for about 15 minutes.
EMAIL_TASK = {
    "ignore_result": True,
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**EMAIL_TASK)
def send_password_reset(email: str) -> None:
    """The reset email, sent by a worker."""
    password_reset_send(email=email)


@shared_task(**EMAIL_TASK)
def send_clinic_invite(invite_id: str) -> None:
    """A clinic's invitation email, sent by a worker and retried as the password reset is."""
    clinic_invite_send(invite_id=invite_id)


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # A clinic's whole list takes longer than the default two minutes; past the soft limit it fails.
    soft_time_limit=RUN_TIME_LIMIT.total_seconds(),
    time_limit=RUN_TIME_LIMIT.total_seconds() + 60,
)
def run_bulk_export(export_id: str) -> None:
    """One clinic's FHIR Bulk Data export, into NDJSON files (docs/decisions/0033-bulk-export.md)."""
    bulk_export_run(export_id=uuid.UUID(export_id))


@shared_task(ignore_result=True)
def purge_bulk_exports() -> int:
    """Hourly: delete the bulk exports whose files have expired."""
    return bulk_export_purge()
