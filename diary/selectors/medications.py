"""Reads of the patient's medications and own factors: what the profile and the rules see of them."""

from datetime import date

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from diary.models import DrugClass, Factor, Medication, User


def takes_diuretics_now(patient: User, *, today: date | None = None) -> bool | None:
    """Whether the patient takes a diuretic, as the profile says it and the rules read it
    (takes_diuretics_from, over her diuretics' stop dates)."""
    today = today or timezone.localdate(timezone=patient.zone)
    stops = Medication.objects.filter(patient=patient, drug_class=DrugClass.DIURETIC).values_list(
        "stopped_on", flat=True
    )
    return takes_diuretics_from(patient.takes_diuretics, list(stops), today=today)


def takes_diuretics_from(said: bool | None, diuretic_stops: list[date | None], *, today: date) -> bool | None:
    """Once a diuretic is on the medication list, the list answers: true while one is not stopped
    (stopped_on empty, or today or later, in the patient's zone), false once all are. With none listed,
    the answer the patient gave in the profile, null (not said) included."""
    if not diuretic_stops:
        return said
    return any(stopped is None or stopped >= today for stopped in diuretic_stops)


def factors_of(*, patient: User) -> QuerySet:
    """The patient's own tags, by name whatever its case."""
    return Factor.objects.filter(patient=patient).order_by(Lower("name"), "created_at")


def factor_entry_count(*, factor: Factor) -> int:
    return factor.entries.count()
