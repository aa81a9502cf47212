"""Reads for the patient's own export: what is kept about them beyond the diary records, oldest first."""

from django.db.models import QuerySet

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
from diary.selectors import access_log_of, links_of


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
