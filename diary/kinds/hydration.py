"""A drink: when, and how much."""

from collections.abc import Mapping
from datetime import datetime

from diary.exports.fhir_codes import FLUID_INTAKE_ORAL_ESTIMATED, quantity
from diary.kinds.base import RECORD_INTERNAL_FIELDS, Kind, RecordSerializer
from diary.models import Hydration


class HydrationSerializer(RecordSerializer):
    class Meta:
        model = Hydration
        exclude = RECORD_INTERNAL_FIELDS
        validators = []


FHIR_FIELDS = ("id", "timezone", "taken_at", "volume_ml")


def observation(build, row: Mapping) -> dict:
    return build.entry(
        row,
        {"coding": [FLUID_INTAKE_ORAL_ESTIMATED], "text": "Drink"},
        effectiveDateTime=build.moment(row["taken_at"], row["timezone"]),
        valueQuantity=quantity(row["volume_ml"], "mL", "mL"),
    )


def example(at: datetime, patient=None) -> dict:
    return {"taken_at": at.isoformat(), "volume_ml": 250}


KIND = Kind(
    segment="hydration",
    model=Hydration,
    serializer=HydrationSerializer,
    noun="drinks",
    fhir_fields=FHIR_FIELDS,
    fhir_entry=observation,
    example=example,
    admin={"list_display": ("taken_at", "patient", "volume_ml")},
)
