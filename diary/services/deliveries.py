"""Sending one delivery (of a reminder, or of an urgent alert): take its lease, send by push or email,
and record how it ended.

A delivery is sent by whichever worker holds its lease. Push is safe to send again (same Topic
header, same notification tag: the phone shows it once); email is not, so an email whose send had
started when a worker died is recorded as failed rather than sent twice.
"""

import logging
import smtplib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone

from diary import push
from diary.models import Channel, ClinicMembership, Delivery, DeliveryStatus, PushSubscription, ReminderKind
from diary.selectors.weekly import weekly_summary
from diary.services.reminders import MAX_ATTEMPTS, deliveries_give_up, stale_after

log = logging.getLogger(__name__)

ACTION_TOKEN_MAX_AGE = timedelta(days=1)
ACTION_TOKEN_SALT = "crampwise.reminder-action"

# Lock-screen text is generic: never a symptom, never the patient's own words.
LOCK_SCREEN_TITLE = "Time for your legs"
GENERIC_BODIES = {
    ReminderKind.COMPRESSION_ON: "Stockings on",
    ReminderKind.COMPRESSION_OFF: "Stockings off",
    ReminderKind.ELEVATION: "Feet up for 15 minutes",
    ReminderKind.HYDRATION: "A glass of water",
    ReminderKind.STRETCH: "A gentle stretch before bed",
    ReminderKind.MORNING_CHECKIN: "Your morning check-in",
    ReminderKind.EVENING_CHECKIN: "Your evening check-in",
    ReminderKind.CUSTOM: "Open Crampwise",
    ReminderKind.WEEKLY_SUMMARY: "Your weekly Crampwise summary is ready",
}
# The weekly word on a lock screen says only that it is ready; its words are behind the tap (the app's
# summary page) or in the email (docs/decisions/0031-weekly-summary.md).
SUMMARY_TITLE = "Crampwise"
SUMMARY_PATH = "/summary/weekly"
# An urgent alert to a clinician: neither the patient's name nor the symptom, on a lock screen or in an
# inbox (docs/decisions/0027-urgent-alerts.md).
ALERT_TITLE = "Crampwise"
ALERT_BODY = "A patient's diary needs your attention"
ALERT_PATH = "/clinician"


def lease_length() -> timedelta:
    return timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def occurrence_tag(delivery: Delivery) -> str:
    """The notification tag: the same for every send of one occurrence, so a phone shows it once."""
    if delivery.alert_id is not None:
        return f"alert-{delivery.alert_id}"
    return f"reminder-{delivery.reminder_id}-{int(delivery.scheduled_for.timestamp())}"


def push_topic(delivery: Delivery) -> str:
    """The Web Push Topic (at most 32 URL-safe characters): a push service replaces a queued message
    with the same topic instead of delivering both."""
    if delivery.alert_id is not None:
        return uuid.uuid5(delivery.alert_id, "alert").hex
    return uuid.uuid5(delivery.reminder_id, delivery.scheduled_for.isoformat()).hex


def recipient(delivery: Delivery):
    """Who is told: a reminder's patient, or the clinician an alert's delivery names (the alert's own
    clinician, or one member of its clinic)."""
    return delivery.recipient if delivery.alert_id is not None else delivery.reminder.patient


def no_longer_a_member(delivery: Delivery) -> bool:
    """A clinic's alert whose recipient has left the clinic since it was queued."""
    alert = delivery.alert
    if alert is None or alert.clinic_id is None:
        return False
    return not ClinicMembership.objects.filter(
        clinic_id=alert.clinic_id, user_id=delivery.recipient_id
    ).exists()


def action_token(delivery: Delivery) -> str:
    """A signed token that lets the notification's Done and Snooze buttons act on this occurrence."""
    return signing.dumps(
        {"r": str(delivery.reminder_id), "o": delivery.scheduled_for.isoformat()}, salt=ACTION_TOKEN_SALT
    )


def action_token_read(token: str) -> tuple[uuid.UUID, datetime]:
    """The reminder and occurrence a token was made for; raises signing.BadSignature if forged or old."""
    data = signing.loads(token, salt=ACTION_TOKEN_SALT, max_age=ACTION_TOKEN_MAX_AGE)
    return uuid.UUID(data["r"]), datetime.fromisoformat(data["o"])


def summary_day(delivery: Delivery):
    """The local date whose week a weekly summary sums up: the day it was due, on the patient's clock."""
    return timezone.localtime(delivery.scheduled_for, delivery.reminder.patient.zone).date()


def summary_path(delivery: Delivery) -> str:
    return f"{SUMMARY_PATH}?week={summary_day(delivery).isoformat()}"


def push_payload(delivery: Delivery) -> dict:
    if delivery.alert_id is not None:
        # No action token: nothing is done from the lock screen; the clinician opens the app.
        return {"title": ALERT_TITLE, "body": ALERT_BODY, "tag": occurrence_tag(delivery), "url": ALERT_PATH}
    reminder = delivery.reminder
    if reminder.kind == ReminderKind.WEEKLY_SUMMARY:
        # Nothing to mark done or snooze from the lock screen: a tap opens the week's summary.
        return {
            "title": SUMMARY_TITLE,
            "body": GENERIC_BODIES[reminder.kind],
            "tag": occurrence_tag(delivery),
            "reminder": str(reminder.id),
            "kind": reminder.kind,
            "occurrence": delivery.scheduled_for.isoformat(),
            "url": summary_path(delivery),
        }
    return {
        "title": LOCK_SCREEN_TITLE,
        "body": GENERIC_BODIES[reminder.kind],
        "tag": occurrence_tag(delivery),
        "reminder": str(reminder.id),
        "kind": reminder.kind,
        "occurrence": delivery.scheduled_for.isoformat(),
        "action_token": action_token(delivery),
        "actions": [{"action": "done", "title": "Done"}, {"action": "snooze", "title": "Snooze 30 min"}],
    }


def delivery_take(*, delivery_id: uuid.UUID, now: datetime) -> Delivery | None:
    """Take the lease on a pending delivery, or None if it has ended or another worker holds it.

    A delivery that has had all its tries is not tried again: it ends failed here.
    """
    free = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    taken = free.filter(attempts__lt=MAX_ATTEMPTS).update(
        lease_until=now + lease_length(), attempts=F("attempts") + 1, retry_at=now + stale_after()
    )
    if not taken:
        # Still pending after its last try: that try ended with no outcome (it crashed, or its worker
        # was killed), and so would the next.
        deliveries_give_up(free.filter(attempts__gte=MAX_ATTEMPTS))
        return None
    return Delivery.objects.select_related("reminder__patient", "recipient").get(pk=delivery_id)


def delivery_finish(*, delivery: Delivery, status: str, reason: str = "", now: datetime) -> None:
    delivery.status, delivery.reason = status, reason[:200]
    delivery.sent_at = now if status == DeliveryStatus.SENT else None
    delivery.lease_until = delivery.retry_at = None
    delivery.save(update_fields=["status", "reason", "sent_at", "lease_until", "retry_at"])


def delivery_retry_later(*, delivery: Delivery, reason: str, now: datetime) -> None:
    """Back off exponentially (1, 2, 4, 8 minutes); after MAX_ATTEMPTS the delivery fails."""
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery_finish(delivery=delivery, status=DeliveryStatus.FAILED, reason=f"gave up: {reason}", now=now)
        return
    delivery.reason = f"retrying: {reason}"[:200]
    delivery.lease_until = None
    delivery.retry_at = now + timedelta(minutes=2 ** (delivery.attempts - 1))
    delivery.save(update_fields=["reason", "lease_until", "retry_at"])


def _send_push(delivery: Delivery, now: datetime) -> None:
    # `patient` is the user the subscription belongs to, a clinician's own browser included.
    subscriptions = list(PushSubscription.objects.filter(patient=recipient(delivery)))
    if not subscriptions:
        delivery_finish(
            delivery=delivery, status=DeliveryStatus.FAILED, reason="no push subscription", now=now
        )
        return
    payload, topic = push_payload(delivery), push_topic(delivery)
    outcomes = []
    for subscription in subscriptions:
        try:
            outcome = push.send(subscription, payload, topic=topic)
        except Exception as exc:
            # Whatever this one subscription does to pywebpush (a key it cannot use, a VAPID error),
            # it is this subscription's failure: the others are still tried, and the delivery ends.
            # Only the type is logged: the message may quote the endpoint or the payload.
            log.warning("push to subscription %s failed: %s", subscription.pk, type(exc).__name__)
            outcome = push.PushOutcome(reason=f"the push could not be sent ({type(exc).__name__})")
        if outcome.gone:
            # The browser unsubscribed or the subscription expired: it will never work again.
            PushSubscription.objects.filter(pk=subscription.pk).delete()
        outcomes.append(outcome)
    if any(outcome.delivered for outcome in outcomes):
        delivery_finish(delivery=delivery, status=DeliveryStatus.SENT, now=now)
    elif any(outcome.retry for outcome in outcomes):
        reason = next(outcome.reason for outcome in outcomes if outcome.retry)
        delivery_retry_later(delivery=delivery, reason=reason, now=now)
    else:
        reasons = "; ".join(sorted({outcome.reason for outcome in outcomes}))
        delivery_finish(delivery=delivery, status=DeliveryStatus.FAILED, reason=reasons, now=now)


def email_text(delivery: Delivery) -> tuple[str, str]:
    """The subject and body: generic, as on the lock screen."""
    if delivery.alert_id is not None:
        return ALERT_BODY, (
            f"{ALERT_BODY}.\n\n"
            f"Open your patients' alerts in Crampwise: {settings.PUBLIC_BASE_URL}{ALERT_PATH}\n\n"
            "You get this email because a patient shares their Crampwise diary with you or your clinic "
            "and an urgent warning appeared in it. Crampwise is not an emergency service. Choose how you "
            "are told of urgent warnings (push, email or both) in your profile."
        )
    if delivery.reminder.kind == ReminderKind.WEEKLY_SUMMARY:
        return weekly_email_text(delivery)
    return LOCK_SCREEN_TITLE, (
        f"{GENERIC_BODIES[delivery.reminder.kind]}.\n\n"
        f"Open Crampwise to log it: {settings.PUBLIC_BASE_URL}/\n\n"
        "You get this email because you set a reminder in Crampwise; change it in the app."
    )


def weekly_email_text(delivery: Delivery) -> tuple[str, str]:
    """The weekly word in an email: a plain subject, the sentences in the body (the patient chose email
    for it), and the link to the same page the push opens."""
    summary = weekly_summary(delivery.reminder.patient, day=summary_day(delivery))
    words = "\n\n".join(summary["sentences"])
    return "Your weekly Crampwise summary", (
        f"{summary['title']}\n\n{words}\n\n"
        f"Read it in Crampwise: {settings.PUBLIC_BASE_URL}{summary_path(delivery)}\n\n"
        "You get this email because you turned on the weekly summary in Crampwise; change it or turn it "
        "off under Reminders in the app."
    )


def _send_email(delivery: Delivery, now: datetime) -> None:
    if delivery.send_started_at is not None:
        delivery_finish(
            delivery=delivery,
            status=DeliveryStatus.FAILED,
            reason="interrupted while sending; not sent again, to avoid a second copy",
            now=now,
        )
        return
    # Written first: a weekly summary reads the diary, and a failure there has sent nothing yet.
    subject, body = email_text(delivery)
    # Recorded before the hand-off: from here on, a crash means "maybe sent", which we never repeat.
    Delivery.objects.filter(pk=delivery.pk).update(send_started_at=now)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient(delivery).email])
    except (smtplib.SMTPException, OSError) as exc:
        delivery_finish(delivery=delivery, status=DeliveryStatus.FAILED, reason=f"email: {exc}", now=now)
        return
    delivery_finish(delivery=delivery, status=DeliveryStatus.SENT, now=now)


def delivery_send(*, delivery_id: uuid.UUID) -> None:
    """Send one delivery if it is still pending and nobody else holds it."""
    now = timezone.now()
    delivery = delivery_take(delivery_id=delivery_id, now=now)
    if delivery is None:
        return
    if no_longer_a_member(delivery):
        # Removed from the clinic after the alert was queued: their access ended then, and so does this.
        delivery_finish(
            delivery=delivery, status=DeliveryStatus.SKIPPED, reason="no longer a member", now=now
        )
        return
    if delivery.channel == Channel.PUSH:
        _send_push(delivery, now)
    else:
        _send_email(delivery, now)
