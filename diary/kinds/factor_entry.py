"""One tap of the patient's own factor (coffee, long standing, a long walk), at a time."""

from collections.abc import Mapping
from datetime import datetime

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from diary.kinds.base import RECORD_INTERNAL_FIELDS, Kind, RecordSerializer
from diary.models import Factor, FactorEntry

# Lazy: the serializer is built once (RecordSerializer.for_create), worded for each request.
NOT_YOURS = gettext_lazy("Choose one of your own factors (GET /api/v1/factors/).")


class FactorEntrySerializer(RecordSerializer):
    factor = serializers.PrimaryKeyRelatedField(
        queryset=Factor.objects.all(),
        help_text="The id of one of the patient's factors.",
        error_messages={"does_not_exist": NOT_YOURS, "incorrect_type": NOT_YOURS},
    )

    class Meta:
        model = FactorEntry
        exclude = RECORD_INTERNAL_FIELDS
        validators = []

    def validate_for_patient(self, attrs: dict, *, patient, instance=None) -> dict:
        # Another patient's factor answers as one that does not exist: nothing of theirs leaks.
        factor = attrs.get("factor")
        if factor is not None and factor.patient_id != patient.pk:
            raise serializers.ValidationError({"factor": [NOT_YOURS]})
        return attrs


FHIR_FIELDS = ("id", "timezone", "occurred_at", "factor__name", "notes")


def observation(build, row: Mapping) -> dict:
    # The patient's own words name it; no code fits a tag they made up. True: they had it then.
    return build.entry(
        row,
        {"text": row["factor__name"]},
        effectiveDateTime=build.moment(row["occurred_at"], row["timezone"]),
        valueBoolean=True,
    )


def example(at: datetime, patient=None) -> dict:
    from diary.services.factors import factor_for_example  # services import the kinds' models

    if patient is None:
        raise ValueError("A factor entry's example names one of the patient's factors: give the patient.")
    return {"occurred_at": at.isoformat(), "factor": str(factor_for_example(patient=patient).pk)}


KIND = Kind(
    segment="factor-entries",
    model=FactorEntry,
    serializer=FactorEntrySerializer,
    noun="factor entries",
    fhir_fields=FHIR_FIELDS,
    fhir_entry=observation,
    example=example,
    admin={"list_display": ("occurred_at", "patient", "factor"), "list_select_related": ("factor",)},
)
