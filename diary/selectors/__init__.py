"""Reads: what each person may see of the diary, in a fixed number of queries."""

from datetime import datetime

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404

from diary.models import AccessLogEntry, CareLink, DiaryRecord, PatientSummary, UrgentAlert, User


def records_of(
    model: type[DiaryRecord],
    *,
    patient: User,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet:
    """A patient's records of one kind, newest first, optionally bounded on the record's time."""
    queryset = model.objects.filter(patient=patient)
    if since is not None:
        queryset = queryset.filter(**{f"{model.TIME_FIELD}__gte": since})
    if until is not None:
        queryset = queryset.filter(**{f"{model.TIME_FIELD}__lte": until})
    return queryset.order_by(f"-{model.TIME_FIELD}", "-created_at")


def linked_patient(*, clinician: User, patient_id) -> User:
    """The patient if they share with this clinician; 404 otherwise, so nothing is revealed."""
    patient = User.objects.filter(pk=patient_id, role="patient", clinician_links__clinician=clinician).first()
    if patient is None:
        raise Http404
    return patient


def links_of(*, user: User) -> QuerySet:
    side = "patient" if user.is_patient else "clinician"
    return (
        CareLink.objects.filter(**{side: user}).select_related("patient", "clinician").order_by("-created_at")
    )


def clinic_reference(*, patient: User, clinician: User) -> str | None:
    """The clinician's own number for the patient, from their link; None when none was set."""
    return (
        CareLink.objects.filter(patient=patient, clinician=clinician)
        .values_list("clinic_reference", flat=True)
        .first()
    )


def access_log_of(*, patient: User) -> QuerySet:
    return AccessLogEntry.objects.filter(patient=patient).order_by("-at", "-id")


def linked_patients(*, clinician: User) -> QuerySet:
    return User.objects.filter(role="patient", clinician_links__clinician=clinician)


def clinician_patients(*, clinician: User, search: str = "") -> QuerySet:
    """Linked patients with their summaries, their link's id and clinic reference, and this clinician's
    open alerts about them, in one query: patients with an open alert first, then urgent, advice, info,
    none; within a level the most recent evidence first (the latest entry for patients without insights)."""
    link = CareLink.objects.filter(patient=OuterRef("pk"), clinician=clinician)
    open_alerts = (
        UrgentAlert.objects.filter(patient=OuterRef("pk"), clinician=clinician, reviewed_at__isnull=True)
        .order_by()
        .values("patient")
        .annotate(count=Count("id"))
        .values("count")
    )
    patients = (
        linked_patients(clinician=clinician)
        .select_related("summary")
        .annotate(
            link_id=Subquery(link.values("id")[:1]),
            clinic_reference=Subquery(link.values("clinic_reference")[:1]),
            open_alerts=Coalesce(Subquery(open_alerts, output_field=IntegerField()), 0),
        )
    )
    if search:
        patients = patients.filter(Q(display_name__icontains=search) | Q(email__icontains=search))
    return patients.order_by(
        Case(When(open_alerts__gt=0, then=0), default=1),
        F("summary__level_rank").desc(nulls_last=True),
        F("summary__last_evidence_at").desc(nulls_last=True),
        F("summary__last_entry_at").desc(nulls_last=True),
        "display_name",
        "email",
    )


def stale_summary_patient_ids() -> list:
    """The patients whose clinician summary a write has marked stale since it was last computed."""
    # No index on `stale`: it would make every stale mark a non-HOT update, on the write path, to spare
    # a scan of one small row per patient twice a minute.
    return list(PatientSummary.objects.filter(stale=True).values_list("patient_id", flat=True))
