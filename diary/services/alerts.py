"""Urgent alerts: raising them from check-ins, the patient's acknowledgement, the clinician's review.

One alert per (patient, linked clinician, warning) while it is open: the first urgent check-in raises
it and tells the clinician on each of their channels; later ones join it, telling nobody again; the
clinician's review closes it, and the next urgent check-in raises a new one (docs/decisions/0027).
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
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


def _raise_or_join(*, patient: User, clinician: User, code: str, recorded_at: datetime, now: datetime):
    """The new alert, or None when one was open already (and the check-in joined it)."""
    open_alert = UrgentAlert.objects.filter(
        patient=patient, clinician=clinician, code=code, reviewed_at__isnull=True
    )
    if _join(open_alert, recorded_at):
        return None
    try:
        # A savepoint: the insert may lose a race to another check-in saved at this moment, whose alert
        # the partial unique index `alert_one_open_per_warning` then holds; this one joins it.
        with transaction.atomic():
            return UrgentAlert.objects.create(
                patient=patient,
                clinician=clinician,
                code=code,
                raised_at=now,
                evidence_at=recorded_at,
                last_evidence_at=recorded_at,
            )
    except IntegrityError:
        _join(open_alert, recorded_at)
        return None


def _queue(delivery_ids: list) -> None:
    # Imported here: diary.tasks imports the services, this one among them.
    from diary.tasks import deliver_reminder, queue_each

    try:
        queue_each(deliver_reminder, delivery_ids)
    except (KombuError, OSError) as exc:
        # The broker is down: the patient's check-in is saved all the same, and the deliveries wait in
        # the database, where the dispatcher queues them again once their retry time has come.
        log.error("urgent alert deliveries not queued: %s", type(exc).__name__)


def alerts_raise(*, checkin: CheckIn, patient: User, codes: Iterable[str]) -> list[UrgentAlert]:
    """A check-in that shows the urgent warnings `codes` (newly: not a replay, not an edit of one that
    showed them already). Supersedes the patient's acknowledgements of them, raises or joins an alert
    for each linked clinician, and queues the new alerts' deliveries after commit. Returns the new ones.
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
        # Who is told: the patient's own clinicians, and every member of a clinic the patient shares with
        # (one alert each, as for a lone clinician; one alert for the whole clinic is a later step).
        clinic_members = ClinicMembership.objects.filter(clinic__links__patient=patient).values("user_id")
        clinicians = list(
            User.objects.filter(role=Role.CLINICIAN)
            .filter(Q(patient_links__patient=patient) | Q(pk__in=clinic_members))
            .distinct()
            .order_by("pk")
        )
        for code in codes:
            for clinician in clinicians:
                alert = _raise_or_join(
                    patient=patient, clinician=clinician, code=code, recorded_at=checkin.recorded_at, now=now
                )
                if alert is not None:
                    raised.append(alert)
        deliveries = Delivery.objects.bulk_create(
            [
                Delivery(
                    alert=alert,
                    scheduled_for=now,
                    channel=channel,
                    status=DeliveryStatus.PENDING,
                    # Should the queued task be lost, the dispatcher queues it again from here.
                    retry_at=now + stale_after(),
                )
                for alert in raised
                for channel in _alert_channels(alert.clinician)
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
    """Close an alert, once: a second review changes nothing. Every review is in the patient's log."""
    with transaction.atomic():
        now = timezone.now()
        UrgentAlert.objects.filter(pk=alert.pk, reviewed_at__isnull=True).update(
            reviewed_at=now, reviewed_by=clinician, reviewed_by_name=clinician.name, note=note
        )
        access_log_write(patient=alert.patient, clinician=clinician, action=REVIEWED_ACTION)
    alert.refresh_from_db()
    return alert
