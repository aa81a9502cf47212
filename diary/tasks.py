"""Celery tasks: thin wrappers that take ids and call services (HackSoft's "tasks are an interface")."""

import uuid

from celery import current_app, shared_task

from diary.services.deliveries import delivery_send
from diary.services.reminders import DISPATCH_BATCH, dispatch_due, requeue_due_retries

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
