"""Reads for the patient's own export: what is kept about them beyond the diary records, oldest first."""

from django.db.models import QuerySet

from diary.models import ClaudicationAnswer, Delivery, PushSubscription, Reminder, ShareCode, User
from diary.selectors import access_log_of, links_of


def claudication_answers_of(*, patient: User) -> QuerySet:
    return ClaudicationAnswer.objects.filter(patient=patient).order_by("answered_at", "id")


def reminders_of(*, patient: User) -> QuerySet:
    return Reminder.objects.filter(patient=patient).order_by("created_at", "id")


def deliveries_of(*, patient: User) -> QuerySet:
    return Delivery.objects.filter(reminder__patient=patient).order_by("scheduled_for", "channel", "id")


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
