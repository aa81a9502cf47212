"""The patient's own factor tags: create (idempotent for an offline client), rename, delete."""

import uuid

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from diary.models import Factor, User


class FactorNameTaken(Exception):
    """The patient already has a factor of this name, whatever its case."""


class FactorIdConflict(Exception):
    """The client-chosen id is taken by another factor, or by this one under another name."""


class FactorInUse(Exception):
    """The factor carries diary entries; deleting it needs them deleted with it."""

    def __init__(self, entries: int):
        super().__init__(entries)
        self.entries = entries


def _name_taken(patient: User, name: str, *, other_than=None) -> bool:
    same = Factor.objects.annotate(lower=Lower("name")).filter(patient=patient, lower=name.lower())
    if other_than is not None:
        same = same.exclude(pk=other_than)
    return same.exists()


def factor_create(*, patient: User, name: str, factor_id: uuid.UUID | None = None) -> tuple[Factor, bool]:
    """Create a tag; a replay of the same create (same id, same name) returns it. Returns (factor, created).

    Raises FactorIdConflict for a known id with another name or patient, FactorNameTaken for a name the
    patient already has."""
    if factor_id is not None:
        existing = Factor.objects.filter(pk=factor_id).first()
        if existing is not None:
            if existing.patient_id == patient.pk and existing.name == name:
                return existing, False
            raise FactorIdConflict
    if _name_taken(patient, name):
        raise FactorNameTaken
    factor = Factor(patient=patient, name=name)
    if factor_id is not None:
        factor.pk = factor_id
    try:
        with transaction.atomic():
            factor.save(force_insert=True)
    except IntegrityError:
        # A create racing this one took the id or the name: the same answers as above.
        if factor_id is not None and Factor.objects.filter(pk=factor_id).exists():
            return factor_create(patient=patient, name=name, factor_id=factor_id)
        raise FactorNameTaken from None
    return factor, True


def factor_rename(*, factor: Factor, name: str) -> Factor:
    if _name_taken(factor.patient, name, other_than=factor.pk):
        raise FactorNameTaken
    factor.name = name
    try:
        with transaction.atomic():
            factor.save(update_fields=["name"])
    except IntegrityError:
        raise FactorNameTaken from None
    return factor


def factor_delete(*, factor: Factor, with_entries: bool = False) -> int:
    """Delete a tag; with_entries deletes the entries that carry it too, in one transaction. Returns how
    many entries went with it. Raises FactorInUse when it has entries and with_entries is false."""
    with transaction.atomic():
        entries = factor.entries.all()
        count = entries.count()
        if count and not with_entries:
            raise FactorInUse(count)
        if count:
            entries.delete()
        factor.delete()
    return count


def factor_for_example(*, patient: User, name: str = "Coffee") -> Factor:
    """The patient's tag of this name, made if missing: what an example factor entry names."""
    factor = Factor.objects.filter(patient=patient, name__iexact=name).first()
    return factor or factor_create(patient=patient, name=name)[0]
