"""Reads of urgent alerts and acknowledgements: the alerts of a clinician and their clinics, the answers."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from diary.models import CareLink, InsightAcknowledgement, UrgentAlert, User
from diary.selectors import clinics_of, linked_patients

OPEN, REVIEWED = "open", "reviewed"


def acknowledgements_of(*, patient: User) -> dict[str, InsightAcknowledgement]:
    """The patient's current answer to each urgent warning: the latest not superseded, by code."""
    current = InsightAcknowledgement.objects.filter(patient=patient, superseded_at__isnull=True).order_by(
        "code", "-acknowledged_at", "-id"
    )
    found: dict[str, InsightAcknowledgement] = {}
    for acknowledgement in current:
        found.setdefault(acknowledgement.code, acknowledgement)
    return found


def alerts_of(*, clinician: User, status: str | None = None, assigned_to_me: bool = False) -> QuerySet:
    """The clinician's own alerts about patients still linked to them or to a clinic of theirs, and the
    alerts of their clinics about patients still sharing with that clinic (a revoked link, or leaving the
    clinic, hides them): open first, then newest. `assigned_to_me`: only the clinics' alerts about patients
    assigned to this clinician (a link with one clinician is not an assignment)."""
    clinic_link = CareLink.objects.filter(patient=OuterRef("patient_id"), clinic=OuterRef("clinic_id"))
    own = Q(clinician=clinician, patient__in=linked_patients(clinician=clinician))
    of_my_clinics = Q(clinic__in=clinics_of(clinician=clinician)) & Q(Exists(clinic_link))
    if assigned_to_me:
        alerts = UrgentAlert.objects.filter(of_my_clinics, Exists(clinic_link.filter(assigned_to=clinician)))
    else:
        alerts = UrgentAlert.objects.filter(own | of_my_clinics)
    alerts = alerts.select_related("patient", "clinic")
    if status == OPEN:
        alerts = alerts.filter(reviewed_at__isnull=True)
    elif status == REVIEWED:
        alerts = alerts.filter(reviewed_at__isnull=False)
    still_open = Case(
        When(reviewed_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return alerts.order_by(still_open, "-raised_at", "-id")


def alert_acknowledgements(alerts: list[UrgentAlert]) -> dict[tuple, str]:
    """The action behind each alert's `acknowledged_by_patient_at`, in one query for a page of them:
    {(patient id, code, acknowledged at): action}."""
    acknowledged = [alert for alert in alerts if alert.acknowledged_by_patient_at is not None]
    if not acknowledged:
        return {}
    rows = InsightAcknowledgement.objects.filter(
        patient_id__in={alert.patient_id for alert in acknowledged},
        code__in={alert.code for alert in acknowledged},
        acknowledged_at__in={alert.acknowledged_by_patient_at for alert in acknowledged},
    ).values_list("patient_id", "code", "acknowledged_at", "action")
    return {(patient_id, code, at): action for patient_id, code, at, action in rows}
