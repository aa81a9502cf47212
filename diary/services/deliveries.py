"""Sending deliveries (of reminders, or of urgent alerts) in batches: take the lease on a batch, send
each by push or email, and record how each ended.

A delivery is sent by whichever worker holds its lease. Push is safe to send again (same Topic
header, same notification tag: the phone shows it once); email is not, so an email whose send had
started when a worker died is recorded as failed rather than sent twice. A batch takes its leases in
one statement and writes its outcomes in bulk; a batch whose worker dies leaves its rows leased and
pending, and the dispatcher queues them again once the lease and `retry_at` have passed.
"""

import logging
import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from diary import push
from diary.language import speaking_to
from diary.models import Channel, ClinicMembership, Delivery, DeliveryStatus, PushSubscription, ReminderKind
from diary.selectors.weekly import weekly_summary
from diary.services.reminders import MAX_ATTEMPTS, deliveries_give_up, stale_after

log = logging.getLogger(__name__)

ACTION_TOKEN_MAX_AGE = timedelta(days=1)
ACTION_TOKEN_SALT = "crampwise.reminder-action"

# Lock-screen text is generic: never a symptom, never the patient's own words. Lazy: each is worded when
# a delivery is, in its recipient's language (speaking_to); str() before it goes into a JSON payload.
LOCK_SCREEN_TITLE = pgettext_lazy("reminder notification", "Time for your legs")
GENERIC_BODIES = {
    ReminderKind.COMPRESSION_ON: pgettext_lazy("reminder notification", "Stockings on"),
    ReminderKind.COMPRESSION_OFF: pgettext_lazy("reminder notification", "Stockings off"),
    ReminderKind.ELEVATION: pgettext_lazy("reminder notification", "Feet up for 15 minutes"),
    ReminderKind.HYDRATION: pgettext_lazy("reminder notification", "A glass of water"),
    ReminderKind.STRETCH: pgettext_lazy("reminder notification", "A gentle stretch before bed"),
    ReminderKind.MORNING_CHECKIN: pgettext_lazy("reminder notification", "Your morning check-in"),
    ReminderKind.EVENING_CHECKIN: pgettext_lazy("reminder notification", "Your evening check-in"),
    ReminderKind.CUSTOM: pgettext_lazy("reminder notification", "Open Crampwise"),
    ReminderKind.WEEKLY_SUMMARY: pgettext_lazy(
        "reminder notification", "Your weekly Crampwise summary is ready"
    ),
}
# The weekly word on a lock screen says only that it is ready; its words are behind the tap (the app's
# summary page) or in the email (docs/decisions/0031-weekly-summary.md).
SUMMARY_TITLE = "Crampwise"
SUMMARY_PATH = "/summary/weekly"
# An urgent alert to a clinician: neither the patient's name nor the symptom, on a lock screen or in an
# inbox (docs/decisions/0027-urgent-alerts.md).
ALERT_TITLE = "Crampwise"
ALERT_BODY = pgettext_lazy("urgent alert notification", "A patient's diary needs your attention")
ALERT_PATH = "/clinician"

# Deliveries per batch task: large enough that a morning's 10,000 are 50 tasks, small enough that a
# killed worker repeats (with the same Topic and tag) at most this many pushes.
DELIVERY_BATCH = 200
# Outcomes are written every this many deliveries or this often, whichever comes first: a worker
# killed mid-batch sends again (same Topic and tag) only what it had sent since its last write.
WRITE_EVERY = 50
WRITE_EVERY_SECONDS = 0.5
DELIVERY_FIELDS = ["status", "reason", "sent_at", "lease_until", "retry_at"]


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


def delivery_kind(delivery: Delivery) -> str:
    """Which message a delivery carries: an urgent alert, the weekly summary, or a reminder."""
    if delivery.alert_id is not None:
        return "alert"
    if delivery.reminder.kind == ReminderKind.WEEKLY_SUMMARY:
        return "weekly_summary"
    return "reminder"


def paragraphs(*texts: str) -> str:
    """An email's body: its paragraphs (each one whole message to translate), a blank line between."""
    return "\n\n".join(texts)


def alert_push(delivery: Delivery) -> dict:
    # No action token: nothing is done from the lock screen; the clinician opens the app.
    return {"title": ALERT_TITLE, "body": str(ALERT_BODY), "tag": occurrence_tag(delivery), "url": ALERT_PATH}


def alert_email(delivery: Delivery) -> tuple[str, str]:
    link = f"{settings.PUBLIC_BASE_URL}{ALERT_PATH}"
    return str(ALERT_BODY), paragraphs(
        f"{ALERT_BODY}.",
        _("Open your patients' alerts in Crampwise: %(link)s") % {"link": link},
        _(
            "You get this email because a patient shares their Crampwise diary with you or your clinic "
            "and an urgent warning appeared in it. Crampwise is not an emergency service. Choose how you "
            "are told of urgent warnings (push, email or both) in your profile."
        ),
    )


def weekly_push(delivery: Delivery) -> dict:
    # Nothing to mark done or snooze from the lock screen: a tap opens the week's summary.
    reminder = delivery.reminder
    return {
        "title": SUMMARY_TITLE,
        "body": str(GENERIC_BODIES[reminder.kind]),
        "tag": occurrence_tag(delivery),
        "reminder": str(reminder.id),
        "kind": reminder.kind,
        "occurrence": delivery.scheduled_for.isoformat(),
        "url": summary_path(delivery),
    }


def reminder_push(delivery: Delivery) -> dict:
    reminder = delivery.reminder
    return {
        "title": str(LOCK_SCREEN_TITLE),
        "body": str(GENERIC_BODIES[reminder.kind]),
        "tag": occurrence_tag(delivery),
        "reminder": str(reminder.id),
        "kind": reminder.kind,
        "occurrence": delivery.scheduled_for.isoformat(),
        "action_token": action_token(delivery),
        "actions": [
            {"action": "done", "title": pgettext("reminder notification button", "Done")},
            {"action": "snooze", "title": pgettext("reminder notification button", "Snooze 30 min")},
        ],
    }


def reminder_email(delivery: Delivery) -> tuple[str, str]:
    return str(LOCK_SCREEN_TITLE), paragraphs(
        f"{GENERIC_BODIES[delivery.reminder.kind]}.",  # the lock screen's words, as a sentence
        _("Open Crampwise to log it: %(link)s") % {"link": f"{settings.PUBLIC_BASE_URL}/"},
        _("You get this email because you set a reminder in Crampwise; change it in the app."),
    )


def weekly_email_text(delivery: Delivery) -> tuple[str, str]:
    """The weekly word in an email: a plain subject, the sentences in the body (the patient chose email
    for it), and the link to the same page the push opens."""
    summary = weekly_summary(delivery.reminder.patient, day=summary_day(delivery))
    link = f"{settings.PUBLIC_BASE_URL}{summary_path(delivery)}"
    return _("Your weekly Crampwise summary"), paragraphs(
        summary["title"],
        *summary["sentences"],
        _("Read it in Crampwise: %(link)s") % {"link": link},
        _(
            "You get this email because you turned on the weekly summary in Crampwise; change it or turn it "
            "off under Reminders in the app."
        ),
    )


@dataclass(frozen=True)
class Message:
    """How one kind of delivery is worded: its push payload and its email (subject, body)."""

    push: Callable[[Delivery], dict]
    email: Callable[[Delivery], tuple[str, str]]


MESSAGES = {
    "alert": Message(push=alert_push, email=alert_email),
    "weekly_summary": Message(push=weekly_push, email=weekly_email_text),
    "reminder": Message(push=reminder_push, email=reminder_email),
}


def push_payload(delivery: Delivery) -> dict:
    """The push, in its recipient's language: a batch holds many people's deliveries, so the language
    is set per delivery (the recipient is loaded with it, deliveries_take: no query)."""
    with speaking_to(recipient(delivery)):
        return MESSAGES[delivery_kind(delivery)].push(delivery)


def email_text(delivery: Delivery) -> tuple[str, str]:
    """The subject and body, in the recipient's language: generic, as on the lock screen (the weekly
    summary's are its own)."""
    with speaking_to(recipient(delivery)):
        return MESSAGES[delivery_kind(delivery)].email(delivery)


def deliveries_take(*, delivery_ids: list[uuid.UUID], now: datetime) -> list[Delivery]:
    """Take the lease on each delivery of a batch that is still pending and that no other worker holds,
    in one UPDATE, and return them loaded, in the batch's order.

    Rows another transaction has locked are left to it (another batch taking them, or the dispatcher
    queueing them again). A delivery that has had all its tries is not tried again: it ends failed here.
    """
    with transaction.atomic():
        free = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .values_list("id", "attempts")
        )
        # Still pending after its last try: that try ended with no outcome (it crashed, or its worker
        # was killed), and so would the next.
        spent = [pk for pk, attempts in free if attempts >= MAX_ATTEMPTS]
        taken = [pk for pk, attempts in free if attempts < MAX_ATTEMPTS]
        if spent:
            deliveries_give_up(Delivery.objects.filter(pk__in=spent))
        if taken:
            Delivery.objects.filter(pk__in=taken).update(
                lease_until=now + lease_length(), attempts=F("attempts") + 1, retry_at=now + stale_after()
            )
    if not taken:
        return []
    order = {pk: index for index, pk in enumerate(delivery_ids)}
    loaded = Delivery.objects.filter(pk__in=taken).select_related("reminder__patient", "recipient", "alert")
    return sorted(loaded, key=lambda delivery: order[delivery.pk])


def delivery_take(*, delivery_id: uuid.UUID, now: datetime) -> Delivery | None:
    """Take the lease on one pending delivery, or None if it has ended or another worker holds it."""
    taken = deliveries_take(delivery_ids=[delivery_id], now=now)
    return taken[0] if taken else None


def deliveries_release(deliveries: list[Delivery], *, now: datetime) -> list[uuid.UUID]:
    """Give back, untried, deliveries a batch had no time left for: the lease is cleared and the try not
    counted. Their `retry_at` stays set, so the dispatcher queues them if nobody else does."""
    ids = [delivery.pk for delivery in deliveries]
    Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
        lease_until=None, attempts=F("attempts") - 1, retry_at=now + stale_after()
    )
    return ids


def recipient_id(delivery: Delivery) -> uuid.UUID:
    return delivery.recipient_id if delivery.alert_id is not None else delivery.reminder.patient_id


class DeliveryBatch:
    """The deliveries one worker holds the lease on: their subscriptions and clinic memberships read in
    one query each, and their outcomes kept here until `write` records them in bulk."""

    def __init__(self, deliveries: list[Delivery]):
        self.deliveries = deliveries
        self.subscriptions: dict[uuid.UUID, list[PushSubscription]] = {}
        users = {recipient_id(delivery) for delivery in deliveries if delivery.channel == Channel.PUSH}
        if users:
            # `patient` is the user the subscription belongs to, a clinician's own browser included.
            for subscription in PushSubscription.objects.filter(patient_id__in=users).order_by("created_at"):
                self.subscriptions.setdefault(subscription.patient_id, []).append(subscription)
        self.members = self._clinic_members(deliveries)
        self.ended: list[Delivery] = []
        self.gone: set = set()
        # The batch's clock, moved on at each write: outcomes recorded together share their time.
        self.now = timezone.now()

    @staticmethod
    def _clinic_members(deliveries: list[Delivery]) -> set[tuple]:
        clinic_alerts = [d for d in deliveries if d.alert_id is not None and d.alert.clinic_id is not None]
        if not clinic_alerts:
            return set()
        memberships = ClinicMembership.objects.filter(
            clinic_id__in={delivery.alert.clinic_id for delivery in clinic_alerts},
            user_id__in={delivery.recipient_id for delivery in clinic_alerts},
        )
        return set(memberships.values_list("clinic_id", "user_id"))

    def no_longer_a_member(self, delivery: Delivery) -> bool:
        """A clinic's alert whose recipient has left the clinic since it was queued."""
        alert = delivery.alert
        if alert is None or alert.clinic_id is None:
            return False
        return (alert.clinic_id, delivery.recipient_id) not in self.members

    def finish(self, delivery: Delivery, *, status: str, reason: str = "", now: datetime) -> None:
        delivery.status, delivery.reason = status, reason[:200]
        delivery.sent_at = now if status == DeliveryStatus.SENT else None
        delivery.lease_until = delivery.retry_at = None
        self.ended.append(delivery)

    def retry_later(self, delivery: Delivery, *, reason: str, now: datetime, wait: int | None = None) -> None:
        """Back off exponentially (1, 2, 4, 8 minutes), or longer if the push service asked for longer
        (Retry-After); after MAX_ATTEMPTS the delivery fails."""
        if delivery.attempts >= MAX_ATTEMPTS:
            self.finish(delivery, status=DeliveryStatus.FAILED, reason=f"gave up: {reason}", now=now)
            return
        delivery.reason = f"retrying: {reason}"[:200]
        delivery.lease_until = None
        backoff = timedelta(minutes=2 ** (delivery.attempts - 1))
        delivery.retry_at = now + max(backoff, timedelta(seconds=wait or 0))
        self.ended.append(delivery)

    def write(self) -> None:
        """Record the outcomes so far: one UPDATE per distinct outcome (all the sent ones share one, as
        they share the batch's clock), and one DELETE for dead subscriptions."""
        if self.gone:
            # The browser unsubscribed or the subscription expired: it will never work again.
            PushSubscription.objects.filter(pk__in=self.gone).delete()
            self.gone = set()
        # Not bulk_update: its CASE per row and field costs more than the pushes it records.
        outcomes: dict[tuple, list] = {}
        for delivery in self.ended:
            values = tuple(getattr(delivery, name) for name in DELIVERY_FIELDS)
            outcomes.setdefault(values, []).append(delivery.pk)
        for values, ids in outcomes.items():
            Delivery.objects.filter(pk__in=ids).update(**dict(zip(DELIVERY_FIELDS, values, strict=True)))
        self.ended = []
        self.now = timezone.now()

    def send(self, delivery: Delivery) -> None:
        now = self.now
        if self.no_longer_a_member(delivery):
            # Removed from the clinic after the alert was queued: their access ended then, and so does this.
            self.finish(delivery, status=DeliveryStatus.SKIPPED, reason="no longer a member", now=now)
        elif delivery.channel == Channel.PUSH:
            self._send_push(delivery, now)
        else:
            self._send_email(delivery, now)
            # Written at once, not with the batch: a worker killed now would otherwise leave an email
            # that went out recorded as "interrupted".
            self.write()

    def _send_push(self, delivery: Delivery, now: datetime) -> None:
        subscriptions = self.subscriptions.get(recipient_id(delivery), [])
        if not subscriptions:
            self.finish(delivery, status=DeliveryStatus.FAILED, reason="no push subscription", now=now)
            return
        payload, topic = push_payload(delivery), push_topic(delivery)
        outcomes = []
        for subscription in list(subscriptions):
            try:
                outcome = push.send(subscription, payload, topic=topic)
            except Exception as exc:
                # Whatever this one subscription does to pywebpush (a key it cannot use, a VAPID error),
                # it is this subscription's failure: the others are still tried, and the delivery ends.
                # Only the type is logged: the message may quote the endpoint or the payload.
                log.warning("push to subscription %s failed: %s", subscription.pk, type(exc).__name__)
                outcome = push.PushOutcome(reason=f"the push could not be sent ({type(exc).__name__})")
            if outcome.gone:
                self.gone.add(subscription.pk)
                subscriptions.remove(subscription)  # not tried again for this user's next delivery
            outcomes.append(outcome)
        if any(outcome.delivered for outcome in outcomes):
            self.finish(delivery, status=DeliveryStatus.SENT, now=now)
        elif any(outcome.retry for outcome in outcomes):
            retries = [outcome for outcome in outcomes if outcome.retry]
            wait = max((outcome.retry_after or 0 for outcome in retries), default=0)
            self.retry_later(delivery, reason=retries[0].reason, now=now, wait=wait)
        else:
            reasons = "; ".join(sorted({outcome.reason for outcome in outcomes}))
            self.finish(delivery, status=DeliveryStatus.FAILED, reason=reasons, now=now)

    def _send_email(self, delivery: Delivery, now: datetime) -> None:
        if delivery.send_started_at is not None:
            self.finish(
                delivery,
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
            self.finish(delivery, status=DeliveryStatus.FAILED, reason=f"email: {exc}", now=now)
            return
        self.finish(delivery, status=DeliveryStatus.SENT, now=now)


def deliveries_send(*, delivery_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Send a batch of deliveries: those still pending that nobody else holds.

    Returns the ids it gave back untried because half its lease had gone (a slow push service), for
    the caller to queue again; the other half of the lease covers the send in flight and the last write,
    so no other worker takes a delivery while this one may still be sending it.
    """
    now = timezone.now()
    taken = deliveries_take(delivery_ids=delivery_ids, now=now)
    if not taken:
        return []
    batch = DeliveryBatch(taken)
    deadline = time.monotonic() + lease_length().total_seconds() / 2
    written = time.monotonic()
    try:
        for index, delivery in enumerate(taken):
            if index and time.monotonic() > deadline:
                return deliveries_release(taken[index:], now=timezone.now())
            batch.send(delivery)
            if len(batch.ended) >= WRITE_EVERY or time.monotonic() - written > WRITE_EVERY_SECONDS:
                batch.write()
                written = time.monotonic()
    finally:
        # Also when the task is stopped (its soft time limit): what was sent is recorded as sent.
        batch.write()
    return []


def delivery_send(*, delivery_id: uuid.UUID) -> None:
    """Send one delivery if it is still pending and nobody else holds it (a batch of one)."""
    deliveries_send(delivery_ids=[delivery_id])
