"""Compression stockings worn: put on, taken off, which garment and pressure class, on which legs."""

from collections.abc import Mapping
from datetime import datetime

from django.utils.translation import gettext as _
from rest_framework import serializers

from diary.exports.fhir_codes import COMPRESSION_HOSIERY, component, quantity
from diary.kinds.base import RECORD_INTERNAL_FIELDS, Kind, RecordSerializer
from diary.models import CompressionWear


class CompressionSerializer(RecordSerializer):
    class Meta:
        model = CompressionWear
        exclude = RECORD_INTERNAL_FIELDS
        validators = []

    def validate(self, attrs):
        started_at = attrs.get("started_at", getattr(self.instance, "started_at", None))
        ended_at = attrs.get("ended_at", getattr(self.instance, "ended_at", None))
        if started_at and ended_at and ended_at < started_at:
            raise serializers.ValidationError({"ended_at": [_("Taken off before it was put on.")]})
        return attrs


GARMENT_WORDS = {"knee": "knee-high stocking", "thigh": "thigh-high stocking", "pantyhose": "pantyhose"}
FHIR_FIELDS = ("id", "timezone", "started_at", "ended_at", "pressure_class", "garment", "legs")


def observation(build, row: Mapping) -> dict:
    low, high = (int(part) for part in row["pressure_class"].split("-"))
    period = {"start": build.moment(row["started_at"], row["timezone"])}
    components = [
        component(
            "Garment",
            valueCodeableConcept={"coding": [COMPRESSION_HOSIERY], "text": GARMENT_WORDS[row["garment"]]},
        ),
        component(
            "Pressure class",
            valueRange={"low": quantity(low, "mmHg", "mm[Hg]"), "high": quantity(high, "mmHg", "mm[Hg]")},
        ),
        component("Legs", valueString=row["legs"]),
    ]
    if row["ended_at"] is not None:
        period["end"] = build.moment(row["ended_at"], row["timezone"])
        hours = round((row["ended_at"] - row["started_at"]).total_seconds() / 3600, 2)
        components.append(component("Hours worn", valueQuantity=quantity(hours, "h", "h")))
    return build.entry(
        row, {"text": "Compression hosiery worn"}, effectivePeriod=period, component=components
    )


def example(at: datetime, patient=None) -> dict:
    return {"started_at": at.isoformat(), "pressure_class": "20-30", "garment": "knee", "legs": "both"}


KIND = Kind(
    segment="compression",
    model=CompressionWear,
    serializer=CompressionSerializer,
    noun="compression",
    fhir_fields=FHIR_FIELDS,
    fhir_entry=observation,
    example=example,
    admin={
        "list_display": ("started_at", "patient", "ended_at", "pressure_class", "garment", "legs"),
        "list_filter": ("pressure_class", "garment", "legs"),
    },
)
