"""Legs raised: when, for how many minutes, and whether above the heart."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from diary.exports.fhir_codes import component, quantity
from diary.kinds.base import RECORD_INTERNAL_FIELDS, Kind, RecordSerializer
from diary.models import Elevation


class ElevationSerializer(RecordSerializer):
    class Meta:
        model = Elevation
        exclude = RECORD_INTERNAL_FIELDS
        validators = []


FHIR_FIELDS = ("id", "timezone", "started_at", "duration_minutes", "above_heart")


def observation(build, row: Mapping) -> dict:
    ended = row["started_at"] + timedelta(minutes=row["duration_minutes"])
    return build.entry(
        row,
        {"text": "Leg elevation"},
        effectivePeriod={
            "start": build.moment(row["started_at"], row["timezone"]),
            "end": build.moment(ended, row["timezone"]),
        },
        valueQuantity=quantity(row["duration_minutes"], "min", "min"),
        component=[component("Above heart level", valueBoolean=row["above_heart"])],
    )


def example(at: datetime, patient=None) -> dict:
    return {"started_at": at.isoformat(), "duration_minutes": 15}


KIND = Kind(
    segment="elevations",
    model=Elevation,
    serializer=ElevationSerializer,
    noun="elevations",
    fhir_fields=FHIR_FIELDS,
    fhir_entry=observation,
    example=example,
    admin={
        "list_display": ("started_at", "patient", "duration_minutes", "above_heart"),
        "list_filter": ("above_heart",),
    },
)
