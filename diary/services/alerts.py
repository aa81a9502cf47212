"""Urgent alerts: raising them from check-ins, the patient's acknowledgement, the clinician's review.

One alert per (patient, linked clinician, warning) and one per (patient, clinic shared with, warning)
while it is open: the first urgent check-in raises it and tells the clinician, or every member of the
clinic, on each of their channels; later ones join it, telling nobody again; a review (by the clinician,
or by any member of the clinic) closes it, and the next urgent check-in raises a new one (docs/decisions
/0027 and 0032).
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from kombu.exceptions import KombuError

from diary import insights
from diary.models import (
    Channel,
    CheckIn,
    ClinicMembership,
    Delivery,
    DeliveryStatus,
    InsightAcknowledgement,
    Role,
    UrgentAlert,
    User,
)
from diary.selectors.facts import checkin_fact
from diary.services.reminders import stale_after
from diary.services.sharing import access_log_write

log = logging.getLogger(__name__)

REVIEWED_ACTION = "reviewed an urgent alert"


def urgent_codes(checkin: CheckIn, *, patient: User) -> list[str]:
    """The urgent warnings this one check-in shows (saved or not): pure, no queries."""
    found = insights.urgent_for_checkin(checkin_fact(checkin), previous_dvt=patient.previous_dvt)
    return [insight.code for insight in found]


def _alert_channels(clinician: User) -> list[str]:
    channels = [channel for channel in clinician.alert_channels if channel in Channel.values]
    # The profile never stores neither (api.accounts); a row edited by hand that does still warns.
    return channels or [Channel.PUSH.value, Channel.EMAIL.value]


def _join(open_alert, recorded_at: datetime) -> int:
    """Add a check-in to an open alert: its evidence times widen, nobody is told again."""
    return open_alert.update(
        evidence_at=Least(F("evidence_at"), recorded_at),
        last_evidence_at=Greatest(F("last_evidence_at"), recorded_at),
    )


def _raise_or_join(
    *, patient: User, code: str, recorded_at: datetime, now: datetime, clinician=None, clinic=None
):
    """The new alert (for the clinician or for the clinic), or None when one was open already (and the
    check-in joined it)."""
    whom = {"clinician": clinician} if clinician is not None else {"clinic": clinic}
    open_alert = UrgentAlert.objects.filter(patient=patient, code=code, reviewed_at__isnull=True, **whom)
    if _join(open_alert, recorded_at):
        return None
    try:
        # A savepoint: the insert may lose a race to another check-in saved at this moment, whose alert
        # the partial unique index `alert_one_open_per_warning` (or `_per_clinic_warning`) then holds;
        # this one joins it.
        with transaction.atomic():
            return UrgentAlert.objects.create(
                patient=patient,
                code=code,
                raised_at=now,
                evidence_at=recorded_at,
                last_evidence_at=recorded_at,
                **whom,
            )
    except IntegrityError:
        _join(open_alert, recorded_at)
        return None


def _recipients(*, patient: User) -> tuple[list[User], dict]:
    """The patient's own clinicians, and the clinics the patient shares with, each with its members
    (clinicians only): two queries."""
    clinicians = list(
        User.objects.filter(role=Role.CLINICIAN, patient_links__patient=patient).distinct().order_by("pk")
    )
    members: dict = {}
    memberships = (
        ClinicMembership.objects.filter(clinic__links__patient=patient, user__role=Role.CLINICIAN)
        .select_related("clinic", "user")
        .order_by("clinic_id", "user_id")
    )
    for membership in memberships:
        members.setdefault(membership.clinic, []).append(membership.user)
    return clinicians, members


def _queue(delivery_ids: list) -> None:
    # Imported here: diary.tasks imports the services, this one among them.
    from diary.tasks import deliver_batch, queue_batches

    try:
        queue_batches(deliver_batch, delivery_ids)
    except (KombuError, OSError) as exc:
        # The broker is down: the patient's check-in is saved all the same, and the deliveries wait in
        # the database, where the dispatcher queues them again once their retry time has come.
        log.error("urgent alert deliveries not queued: %s", type(exc).__name__)


def alerts_raise(*, checkin: CheckIn, patient: User, codes: Iterable[str]) -> list[UrgentAlert]:
    """A check-in that shows the urgent warnings `codes` (newly: not a replay, not an edit of one that
    showed them already). Supersedes the patient's acknowledgements of them, raises or joins an alert
    for each linked clinician and each clinic shared with, and queues the new alerts' deliveries after
    commit. Returns the new ones.
    """
    codes = list(codes)
    if not codes:
        return []
    now = timezone.now()
    raised = []
    with transaction.atomic():
        # "I got help" was about the earlier warning: this one is shown in full again.
        InsightAcknowledgement.objects.filter(
            patient=patient, code__in=codes, superseded_at__isnull=True
        ).update(superseded_at=now)
        clinicians, clinics = _recipients(patient=patient)
        told = []  # (alert, recipient)
        for code in codes:
            # A clinician who has their own link and is in a clinic the patient shares with gets their own
            # alert, and is not told of the clinic's as well: one notification per warning.
            told_now = set()
            for clinician in clinicians:
                alert = _raise_or_join(
                    patient=patient, clinician=clinician, code=code, recorded_at=checkin.recorded_at, now=now
                )
                if alert is not None:
                    raised.append(alert)
                    told.append((alert, clinician))
                    told_now.add(clinician.pk)
            for clinic, members in clinics.items():
                alert = _raise_or_join(
                    patient=patient, clinic=clinic, code=code, recorded_at=checkin.recorded_at, now=now
                )
                if alert is not None:
                    raised.append(alert)
                    for member in members:
                        if member.pk not in told_now:
                            told.append((alert, member))
                            told_now.add(member.pk)
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(
                    alert=alert,
                    recipient=member,
                    scheduled_for=now,
                    channel=channel,
                    status=DeliveryStatus.PENDING,
                    # Should the queued task be lost, the dispatcher queues it again from here.
                    retry_at=now + stale_after(),
                )
                for alert, member in told
                for channel in _alert_channels(member)
            ]
        )
        ids = [delivery.pk for delivery in deliveries]
        if ids:
            transaction.on_commit(lambda: _queue(ids))
    return raised


class NotAnUrgentInsight(Exception):
    """The patient has no urgent insight of this code just now."""


@transaction.atomic
def insight_acknowledge(*, patient: User, code: str, action: str, current_codes: Iterable[str]):
    """Record "I got help" / "I have seen a doctor" on one of the urgent insights the patient has now,
    and mark the open alerts of it as acknowledged, for their clinicians to see."""
    if code not in set(current_codes):
        raise NotAnUrgentInsight
    acknowledgement = InsightAcknowledgement.objects.create(patient=patient, code=code, action=action)
    UrgentAlert.objects.filter(patient=patient, code=code, reviewed_at__isnull=True).update(
        acknowledged_by_patient_at=acknowledgement.acknowledged_at
    )
    return acknowledgement


def alert_review(*, alert: UrgentAlert, clinician: User, note: str = "") -> UrgentAlert:
    """Close an alert, once: a second review (of a clinic's alert, by any member) changes nothing, and
    the first reviewer stays named. Every review is in the patient's log."""
    with transaction.atomic():
        now = timezone.now()
        UrgentAlert.objects.filter(pk=alert.pk, reviewed_at__isnull=True).update(
            reviewed_at=now, reviewed_by=clinician, reviewed_by_name=clinician.name, note=note
        )
        access_log_write(
            patient=alert.patient, clinician=clinician, action=REVIEWED_ACTION, clinic=alert.clinic
        )
    alert.refresh_from_db()
    return alert
