"""Celery tasks: thin wrappers that take ids and call services (HackSoft's "tasks are an interface")."""

import uuid

from celery import current_app, shared_task

from diary.models import Role, User
from diary.services.deliveries import delivery_send
from diary.services.reminders import DISPATCH_BATCH, dispatch_due, requeue_due_retries
from diary.services.summaries import summary_refresh

# A burst larger than this many batches waits for the next tick rather than hold this one forever.
MAX_BATCHES_PER_TICK = 50


def queue_deliveries(delivery_ids: list[uuid.UUID]) -> None:
    """Queue one send task per delivery over a single broker connection."""
    if not delivery_ids:
        return
    with current_app.producer_or_acquire() as producer:
        for delivery_id in delivery_ids:
            deliver_reminder.apply_async((str(delivery_id),), producer=producer)


@shared_task(ignore_result=True)
def dispatch_reminders() -> int:
    """Every minute: claim the due reminders, queue their deliveries, and re-queue any delivery left
    pending past its time (a worker that died, a push service that asked us to wait)."""
    claimed = 0
    for _ in range(MAX_BATCHES_PER_TICK):
        # dispatch_due commits before it returns, so the deliveries exist when a worker looks.
        dispatched = dispatch_due()
        queue_deliveries(dispatched.pending)
        claimed += dispatched.claimed
        if dispatched.claimed < DISPATCH_BATCH:
            break
    queue_deliveries(requeue_due_retries())
    return claimed


@shared_task(
    ignore_result=True, acks_late=True, reject_on_worker_lost=True, soft_time_limit=45, time_limit=60
)
def deliver_reminder(delivery_id: str) -> None:
    delivery_send(delivery_id=uuid.UUID(delivery_id))


@shared_task(ignore_result=True)
def refresh_summary(patient_id: str) -> None:
    patient = User.objects.filter(pk=patient_id, role=Role.PATIENT).first()
    if patient is not None:  # the account may be gone by now
        summary_refresh(patient=patient)


@shared_task(ignore_result=True)
def refresh_all_summaries() -> int:
    """Nightly: the 28-day window has moved for everyone. One task per patient, so workers share it."""
    patient_ids = list(User.objects.filter(role=Role.PATIENT).values_list("pk", flat=True))
    with current_app.producer_or_acquire() as producer:
        for patient_id in patient_ids:
            refresh_summary.apply_async((str(patient_id),), producer=producer)
    return len(patient_ids)
