"""What a kind of diary record declares, and the serializer every record kind builds on."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import serializers

from diary.models import DiaryRecord

# Phones' clocks drift; a time up to this far ahead is taken as "now".
FUTURE_TOLERANCE = timedelta(minutes=5)
# Nothing in a diary is older than this; older times are typing slips (and year 1 breaks date maths).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
# How the admin shows a null: what the patient did not say (docs/decisions/0022-not-said.md).
NOT_SAID_DISPLAY = "not said"
RECORD_INTERNAL_FIELDS = ("patient", "local_date", "create_fingerprint", "created_at", "updated_at")
# Each Meta says `validators = []`: a record's only unique field is its id, which the insert checks
# (an idempotent replay or a 409), so DRF need not look for unique-together rules on every request.


class PastDateTimeField(serializers.DateTimeField):
    """A moment that has happened: at most a few minutes ahead of the server's clock."""

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if moment > timezone.now() + FUTURE_TOLERANCE:
            raise serializers.ValidationError(_("This time is in the future."))
        if moment < EARLIEST:
            raise serializers.ValidationError(_("This time is before 1970: please check the year."))
        return moment


class RecordSerializer(serializers.ModelSerializer):
    """Shared by every record: an optional client-chosen id, fixed once created."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: PastDateTimeField,
    }
    id = serializers.UUIDField(
        required=False, help_text="Client-chosen UUID v4; replaying a create with it is safe."
    )

    def get_extra_kwargs(self):
        # Every record's zone may be left out: a create then takes the profile's (services.records), and a
        # PATCH leaves it as it was.
        extra = super().get_extra_kwargs()
        extra["timezone"] = {
            "required": False,
            "help_text": "The IANA zone the record was logged in (the phone's); left out on a create: "
            "the profile's. Its local date, night and nocturnal flag derive from it and stay when the "
            "profile's zone changes.",
            **extra.get("timezone", {}),
        }
        return extra

    @classmethod
    def for_create(cls) -> "RecordSerializer":
        """This class's one serializer for creates, per language: it validates new records and renders them.

        DRF builds a model serializer's fields anew for every instance, which was the dearest part of
        a create. An instance bound to no record, data or context keeps nothing of a call in itself
        (run_validation and to_representation only read it), so one per class serves every create in
        a language. Not one for all: DRF words a field's limits ("less than or equal to 10") the first
        time it shows them, and keeps those words.
        """
        built = cls.__dict__.get("_for_create")
        if built is None:
            built = cls._for_create = {}
        language = translation.get_language()
        serializer = built.get(language)
        if serializer is None:
            serializer = cls()
            serializer.fields  # noqa: B018  (built now, once)
            built[language] = serializer
        return serializer

    def validate_for_patient(self, attrs: dict, *, patient, instance=None) -> dict:
        """What only the patient can settle (their today, their own tags), after the fields are valid.

        Not in validate(): one serializer serves every create (for_create) and knows no request. The
        views call it on a create and a PATCH; `instance` is the record a PATCH changes. Raise a
        ValidationError naming the field."""
        return attrs

    def validate_id(self, value):
        if self.instance is not None and value != self.instance.pk:
            raise serializers.ValidationError(_("The id of a record cannot be changed."))
        return value


def not_said_kwargs(fields: tuple[str, ...], *, choices: tuple[str, ...] = ()) -> dict:
    """Optional and nullable, never blank: null is "not said" (docs/decisions/0022-not-said.md)."""
    kwargs = {
        name: {"required": False, "allow_null": True, "help_text": "Left out or null: not said."}
        for name in fields
    }
    for name in choices:
        kwargs[name]["allow_blank"] = False
    return kwargs


class NotSaidMixin:
    """A create that leaves out a not-said field stores null, and fingerprints as one that sends null,
    so both spellings of the same quick entry replay alike. A PATCH leaves what it omits as it was."""

    NOT_SAID_FIELDS: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and not self.partial:
            for name in self.NOT_SAID_FIELDS:
                attrs.setdefault(name, None)
        return attrs


@dataclass(frozen=True)
class Kind:
    """One kind of diary record, as every layer needs it (docs/decisions/0034-kind-registry.md).

    `segment` is the collection's name everywhere: its URL (/api/v1/<segment>/), its key in the JSON
    export, its `kind` in the CSV and the admin's access-log action. `fhir_entry(build, row)` turns a row
    of `fhir_fields` (a field, or a lookup through a foreign key: "factor__name") into a Bundle entry of
    `fhir_resource_type` with the exporter's ResourceBuilder. `example(at, patient)` is a minimal entry
    the API accepts from the patient, at a moment; the tests and the access matrix create with it (a
    kind whose entry names another of the patient's rows, a factor entry's factor, makes that row).
    """

    segment: str
    model: type[DiaryRecord]
    serializer: type[RecordSerializer]
    noun: str  # plural, as the demo's summary says it: "12 drinks"
    fhir_fields: tuple[str, ...]
    fhir_entry: Callable[[Any, Mapping], dict]
    example: Callable[..., dict]  # (at: datetime, patient: User | None = None) -> dict
    admin: Mapping[str, Any] = field(default_factory=dict)  # ModelAdmin options beyond RecordAdmin's
    fhir_resource_type: str = "Observation"

    @property
    def time_field(self) -> str:
        """The instant the record is about; lists are newest first by it."""
        return self.model.TIME_FIELD

    @property
    def dated(self) -> bool:
        """The record is about a local date (a medication's start), not an instant: its local date is the
        time field itself, and since/until compare with the patient's local date of the bound."""
        time = self.model._meta.get_field(self.time_field)
        return not isinstance(time, models.DateTimeField)

    @property
    def csv_label(self) -> str:
        """The CSV's `kind` cell of this kind's rows."""
        return self.segment

    @property
    def csv_columns(self) -> list[str]:
        """This kind's own CSV columns: the API's fields, in its order."""
        return list(self.serializer().fields)
