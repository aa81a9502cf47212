"""A medicine the patient takes or took: its name, class, dose, and the local dates it ran."""

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from diary.exports.fhir_codes import coding, drug_class_system
from diary.kinds.base import RECORD_INTERNAL_FIELDS, Kind, RecordSerializer
from diary.models import DrugClass, Medication, Schedule

# Older start dates are typing slips (a year of 0202), not a history.
EARLIEST_START = date(1900, 1, 1)


class MedicationSerializer(RecordSerializer):
    started_on = serializers.DateField(help_text="The patient's local date of the first dose.")
    stopped_on = serializers.DateField(
        required=False, allow_null=True, help_text="The last day taken; null while still taken."
    )

    class Meta:
        model = Medication
        exclude = RECORD_INTERNAL_FIELDS
        validators = []

    def validate_started_on(self, value):
        if value < EARLIEST_START:
            raise serializers.ValidationError(_("This date is before 1900: please check the year."))
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        started = attrs.get("started_on", getattr(self.instance, "started_on", None))
        stopped = attrs.get("stopped_on", getattr(self.instance, "stopped_on", None))
        if started is not None and stopped is not None and stopped < started:
            raise serializers.ValidationError(
                {"stopped_on": [_("It stopped before it started: check the dates.")]}
            )
        return attrs

    def validate_for_patient(self, attrs: dict, *, patient, instance=None) -> dict:
        started = attrs.get("started_on")
        if started is not None and started > timezone.localdate(timezone=patient.zone):
            raise serializers.ValidationError(
                {"started_on": [_("This date is after today: list a medicine once you have started it.")]}
            )
        return attrs


FHIR_FIELDS = ("id", "name", "drug_class", "dose", "schedule", "started_on", "stopped_on", "notes")


def statement(build, row: Mapping) -> dict:
    # Taken until its last day: a stop date still ahead (or today) is a medicine still taken.
    stopped = row["stopped_on"]
    today = timezone.localdate(timezone=build.zone)
    period = {"start": row["started_on"].isoformat()}
    if stopped is not None:
        period["end"] = stopped.isoformat()
    dosage = {"asNeededBoolean": row["schedule"] == Schedule.AS_NEEDED}
    if row["dose"]:
        dosage["text"] = row["dose"]
    # The medicine as the patient named it (text), with the class they chose as a coding of our own
    # system: no terminology maps a typed name to a product here, and the class is what the rules read.
    drug_class = DrugClass(row["drug_class"])
    medicine = {
        "coding": [coding(drug_class_system(build.base_url), drug_class.value, drug_class.label)],
        "text": row["name"],
    }
    return build.resource(
        row,
        "MedicationStatement",
        status="active" if stopped is None or stopped >= today else "completed",
        medicationCodeableConcept=medicine,
        subject=build.patient_reference,
        informationSource=build.patient_reference,
        effectivePeriod=period,
        dosage=[dosage],
    )


def example(at: datetime, patient=None) -> dict:
    # A day before the moment: its local date is no later than the patient's today in any zone.
    return {
        "name": "Bendroflumethiazide",
        "drug_class": DrugClass.DIURETIC.value,
        "dose": "2.5 mg",
        "schedule": Schedule.REGULAR.value,
        "started_on": (at - timedelta(days=1)).date().isoformat(),
    }


KIND = Kind(
    segment="medications",
    model=Medication,
    serializer=MedicationSerializer,
    noun="medications",
    fhir_fields=FHIR_FIELDS,
    fhir_entry=statement,
    fhir_resource_type="MedicationStatement",
    example=example,
    admin={
        "list_display": ("started_on", "patient", "name", "drug_class", "dose", "schedule", "stopped_on"),
        "list_filter": ("drug_class", "schedule"),
    },
)
