"""The database itself refuses out-of-range and unknown values, and marks the clinician summary stale,
whatever path a row takes in."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from diary.kinds import KINDS
from diary.models import (
    CheckIn,
    CompressionWear,
    CrampEpisode,
    Elevation,
    Factor,
    FactorEntry,
    Hydration,
    Medication,
    PatientSummary,
    User,
)
from diary.services.summaries import summary_refresh

pytestmark = [pytest.mark.django_db, pytest.mark.dbsensitive]

NOW = timezone.now() - timedelta(hours=1)
BASE = {"local_date": date(2026, 1, 1), "create_fingerprint": "x"}
# A valid row of each kind as the database stores it (derived columns too); the tests below run for every
# kind in the registry, so a new kind without a row here fails them.
VALID = {
    CrampEpisode: {
        "started_at": NOW,
        "duration_seconds": 60,
        "severity": 5,
        "muscle": "calf",
        "side": "left",
        "activity": "resting",
        "night": date(2026, 1, 1),
        "is_nocturnal": False,
    },
    CompressionWear: {"started_at": NOW, "pressure_class": "20-30", "garment": "knee", "legs": "both"},
    Elevation: {"started_at": NOW, "duration_minutes": 15},
    Hydration: {"taken_at": NOW, "volume_ml": 250},
    CheckIn: {"recorded_at": NOW},
    Medication: {
        "name": "Bendroflumethiazide",
        "drug_class": "diuretic",
        "schedule": "regular",
        "started_on": date(2026, 1, 1),
    },
    FactorEntry: {"occurred_at": NOW},
}


def valid(model, patient: User) -> dict:
    """VALID's row of the model for the patient; a factor entry's names a factor of the patient's."""
    row = dict(VALID[model])
    if model is FactorEntry:
        row["factor"] = Factor.objects.get_or_create(patient=patient, name="Coffee")[0]
    return row


BAD_VALUES = [
    (CrampEpisode, "duration_seconds", 0),
    (CrampEpisode, "duration_seconds", 3601),
    (CrampEpisode, "severity", 11),
    (CrampEpisode, "muscle", "knee"),
    (CrampEpisode, "side", "middle"),
    (CrampEpisode, "activity", "dancing"),
    (CompressionWear, "pressure_class", "10-15"),
    (CompressionWear, "garment", "sock"),
    (CompressionWear, "legs", "none"),
    (CompressionWear, "ended_at", NOW - timedelta(hours=1)),
    (Elevation, "duration_minutes", 0),
    (Elevation, "duration_minutes", 241),
    (Hydration, "volume_ml", 0),
    (Hydration, "volume_ml", 3001),
    (CheckIn, "swelling_left", 4),
    (CheckIn, "swelling_right", 4),
    (CheckIn, "circumference_left_cm", 9.9),
    (CheckIn, "circumference_right_cm", 80.1),
    (CheckIn, "heaviness", 11),
    (CheckIn, "aching", 11),
    (CheckIn, "itching", 11),
    (CheckIn, "cramps_last_night", "maybe"),
    (Medication, "drug_class", "antibiotic"),
    (Medication, "schedule", "sometimes"),
    (Medication, "stopped_on", date(2025, 12, 31)),
]


def segment_of(kind) -> str:
    return kind.segment


@pytest.mark.parametrize("kind", KINDS, ids=segment_of)
def test_a_valid_row_is_accepted(alice, kind):
    kind.model.objects.create(patient=alice, **BASE, **valid(kind.model, alice))


@pytest.mark.parametrize(("model", "field", "value"), BAD_VALUES)
def test_the_database_refuses_a_bad_value(alice, model, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(patient=alice, **BASE, **{**valid(model, alice), field: value})


NOT_SAID = [
    *((CrampEpisode, name) for name in ("duration_seconds", "severity", "muscle", "side", "activity")),
    *((CheckIn, name) for name in ("swelling_left", "swelling_right", "heaviness", "aching", "itching")),
]


@pytest.mark.parametrize(("model", "field"), NOT_SAID)
def test_the_database_takes_null_for_what_was_not_said(alice, model, field):
    record = model.objects.create(patient=alice, **BASE, **{**valid(model, alice), field: None})
    record.refresh_from_db()
    assert getattr(record, field) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("role", "admin"), ("fluid_target_ml", 100), ("compression_class", "5-10"), ("quiet_start", "22:00")],
)
def test_the_database_refuses_a_bad_profile(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="x@example.com", **{field: value})


def test_emails_are_unique_whatever_their_case():
    User.objects.create(email="sam@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Sam@Example.com")


def summary_is_stale(patient: User) -> bool:
    return PatientSummary.objects.get(patient=patient).stale


@pytest.mark.parametrize("kind", KINDS, ids=segment_of)
def test_inserting_changing_or_deleting_any_record_marks_its_patients_summary_stale(alice, carol, kind):
    model = kind.model
    summary_refresh(patient=alice)
    summary_refresh(patient=carol)

    record = model.objects.create(patient=alice, **BASE, **valid(model, alice))  # no service, no signal
    assert summary_is_stale(alice)

    summary_refresh(patient=alice)
    model.objects.filter(pk=record.pk).update(create_fingerprint="y")
    assert summary_is_stale(alice)

    summary_refresh(patient=alice)
    model.objects.filter(pk=record.pk).delete()
    assert summary_is_stale(alice)

    assert not summary_is_stale(carol)  # another patient's summary is left alone


def test_a_bulk_insert_as_the_demo_makes_marks_the_summary_stale(alice):
    summary_refresh(patient=alice)
    drinks = [Hydration(patient=alice, **BASE, taken_at=NOW, volume_ml=250 + n) for n in range(9)]
    Hydration.objects.bulk_create(drinks)
    assert summary_is_stale(alice)
