"""Web Push subscriptions: a browser's endpoint and keys, kept for the account that subscribed it."""

from diary.models import PushSubscription, User


class EndpointTaken(Exception):
    """The endpoint is subscribed for another account."""


def push_subscription_save(*, user: User, endpoint: str, p256dh: str, auth: str) -> None:
    """Subscribe this browser for `user`, or renew its keys; EndpointTaken if it is another account's."""
    # An endpoint is one browser's, and stays with the account that subscribed it: taking it over
    # would move that person's reminders or alerts (and their timing) to whoever posted it.
    subscription, created = PushSubscription.objects.get_or_create(
        endpoint=endpoint, defaults={"patient": user, "p256dh": p256dh, "auth": auth}
    )
    if created:
        return
    if subscription.patient_id != user.pk:
        raise EndpointTaken
    PushSubscription.objects.filter(pk=subscription.pk, patient=user).update(p256dh=p256dh, auth=auth)


def push_subscription_delete(*, user: User, endpoint: str) -> None:
    """Unsubscribe this browser for `user`; another account's subscription of it is left alone."""
    PushSubscription.objects.filter(patient=user, endpoint=endpoint).delete()
