"""Reads: what each person may see of the diary, in a fixed number of queries."""

from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from diary.models import (
    DIARY_MODELS,
    AccessLogEntry,
    CareLink,
    CheckIn,
    CompressionWear,
    CrampEpisode,
    CrampsLastNight,
    DiaryRecord,
    User,
)

SUMMARY_WINDOW_DAYS = 28


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


def access_log_of(*, patient: User) -> QuerySet:
    return AccessLogEntry.objects.filter(patient=patient).order_by("-at", "-id")


def _latest(model: type[DiaryRecord]) -> Subquery:
    return Subquery(
        model.objects.filter(patient=OuterRef("pk"))
        .order_by(f"-{model.TIME_FIELD}")
        .values(model.TIME_FIELD)[:1]
    )


def clinician_patients(*, clinician: User) -> QuerySet:
    """The clinician's linked patients with the time of their latest entry of each kind annotated."""
    return (
        User.objects.filter(role="patient", clinician_links__clinician=clinician)
        .annotate(**{f"latest_{model._meta.model_name}": _latest(model) for model in DIARY_MODELS})
        .order_by("display_name", "email")
    )


def last_entry_at(patient: User) -> datetime | None:
    moments = [getattr(patient, f"latest_{model._meta.model_name}") for model in DIARY_MODELS]
    return max((moment for moment in moments if moment is not None), default=None)


def recent_counts(*, patient_ids: list) -> dict:
    """Cramp nights and compression days over the last 28 days for each patient, in two queries.

    A cramp night has a nocturnal cramp logged or a morning answer of "some" (PRODUCT.md); a
    compression day is a local day on which stockings were put on.
    """
    since = timezone.now() - timedelta(days=SUMMARY_WINDOW_DAYS)
    nights: dict = {pid: set() for pid in patient_ids}
    for pid, night in (
        CrampEpisode.objects.filter(patient_id__in=patient_ids, is_nocturnal=True, started_at__gte=since)
        .values_list("patient_id", "night")
        .distinct()
    ):
        nights[pid].add(night)
    for pid, local_date in (
        CheckIn.objects.filter(
            patient_id__in=patient_ids, cramps_last_night=CrampsLastNight.SOME, recorded_at__gte=since
        )
        .values_list("patient_id", "local_date")
        .distinct()
    ):
        nights[pid].add(local_date - timedelta(days=1))
    compression_days = dict(
        CompressionWear.objects.filter(patient_id__in=patient_ids, started_at__gte=since)
        .values("patient_id")
        .annotate(days=Count("local_date", distinct=True))
        .values_list("patient_id", "days")
    )
    return {
        pid: {"cramp_nights_28d": len(nights[pid]), "compression_days_28d": compression_days.get(pid, 0)}
        for pid in patient_ids
    }
