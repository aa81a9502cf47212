"""Serializers for the diary records: the contract's fields, ranges and enums, each error on its field."""

from datetime import UTC, datetime, timedelta

from django.db import models
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diary.models import (
    CheckIn,
    ClinicRole,
    CompressionWear,
    CrampEpisode,
    CrampsLastNight,
    Elevation,
    Hydration,
)

# Phones' clocks drift; a time up to this far ahead is taken as "now".
FUTURE_TOLERANCE = timedelta(minutes=5)
# Nothing in a diary is older than this; older times are typing slips (and year 1 breaks date maths).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
RECORD_INTERNAL_FIELDS = ("patient", "local_date", "create_fingerprint", "created_at", "updated_at")
# Each Meta says `validators = []`: a record's only unique field is its id, which the insert checks
# (an idempotent replay or a 409), so DRF need not look for unique-together rules on every request.


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "22:00"})
class ClockTimeField(serializers.TimeField):
    """A wall-clock time as the contract writes it, "HH:MM" (seconds are accepted and dropped)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class PastDateTimeField(serializers.DateTimeField):
    """A moment that has happened: at most a few minutes ahead of the server's clock."""

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if moment > timezone.now() + FUTURE_TOLERANCE:
            raise serializers.ValidationError("This time is in the future.")
        if moment < EARLIEST:
            raise serializers.ValidationError("This time is before 1970: please check the year.")
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

    @classmethod
    def for_create(cls) -> "RecordSerializer":
        """This class's one serializer for creates: it validates new records and renders them.

        DRF builds a model serializer's fields anew for every instance, which was the dearest part of
        a create. An instance bound to no record, data or context keeps nothing of a call in itself
        (run_validation and to_representation only read it), so one per class serves every create.
        """
        serializer = cls.__dict__.get("_for_create")
        if serializer is None:
            serializer = cls()
            serializer.fields  # noqa: B018  (built now, once)
            cls._for_create = serializer
        return serializer

    def validate_id(self, value):
        if self.instance is not None and value != self.instance.pk:
            raise serializers.ValidationError("The id of a record cannot be changed.")
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


CRAMP_NOT_SAID = ("severity", "duration_seconds", "muscle", "side", "activity")


class CrampSerializer(NotSaidMixin, RecordSerializer):
    NOT_SAID_FIELDS = CRAMP_NOT_SAID

    class Meta:
        model = CrampEpisode
        exclude = RECORD_INTERNAL_FIELDS
        validators = []
        read_only_fields = ("night", "is_nocturnal")
        extra_kwargs = not_said_kwargs(CRAMP_NOT_SAID, choices=("muscle", "side", "activity"))


class CompressionSerializer(RecordSerializer):
    class Meta:
        model = CompressionWear
        exclude = RECORD_INTERNAL_FIELDS
        validators = []

    def validate(self, attrs):
        started_at = attrs.get("started_at", getattr(self.instance, "started_at", None))
        ended_at = attrs.get("ended_at", getattr(self.instance, "ended_at", None))
        if started_at and ended_at and ended_at < started_at:
            raise serializers.ValidationError({"ended_at": ["Taken off before it was put on."]})
        return attrs


class ElevationSerializer(RecordSerializer):
    class Meta:
        model = Elevation
        exclude = RECORD_INTERNAL_FIELDS
        validators = []


class HydrationSerializer(RecordSerializer):
    class Meta:
        model = Hydration
        exclude = RECORD_INTERNAL_FIELDS
        validators = []


CHECKIN_NOT_SAID = ("swelling_left", "swelling_right", "heaviness", "aching", "itching")


class CheckInSerializer(NotSaidMixin, RecordSerializer):
    NOT_SAID_FIELDS = CHECKIN_NOT_SAID
    cramps_last_night = serializers.ChoiceField(
        choices=CrampsLastNight.choices,
        allow_null=True,
        required=False,
        help_text='The answer to "cramps last night?"; null when not said.',
    )

    class Meta:
        model = CheckIn
        exclude = RECORD_INTERNAL_FIELDS
        validators = []
        extra_kwargs = not_said_kwargs(CHECKIN_NOT_SAID)


class InsightSerializer(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.ChoiceField(choices=["info", "advice", "urgent"])
    title = serializers.CharField()
    explanation = serializers.CharField()
    evidence = serializers.DictField()
    first_seen = serializers.DateTimeField(allow_null=True)
    last_seen = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(
        allow_null=True, required=False, help_text="When the patient answered this urgent warning; else null."
    )
    acknowledgement = serializers.ChoiceField(
        choices=["got_help", "seen_doctor"],
        allow_null=True,
        required=False,
        help_text='"got_help" or "seen_doctor"; null until answered, and always for a non-urgent insight.',
    )


class ClinicianInsightSerializer(InsightSerializer):
    """An insight as a linked clinician reads it: the patient's own wording and the clinician's."""

    clinician_explanation = serializers.CharField(
        help_text="Third person, what was reported and when, on the patient's clock labelled with its zone "
        '("Reported one-sided swelling ... on 1 Dec 2026, 19:40 New York time"). Self-reported.'
    )


class CheckInCreatedSerializer(CheckInSerializer):
    """The response to a new check-in: the record and the urgent insights it raised."""

    insights = InsightSerializer(many=True, read_only=True)

    class Meta(CheckInSerializer.Meta):
        pass


# --- Clinics -----------------------------------------------------------------------------------


class ClinicSerializer(serializers.Serializer):
    """One of my clinics, with my role in it."""

    id = serializers.UUIDField(source="clinic_id", read_only=True)
    name = serializers.CharField(source="clinic.name", read_only=True)
    role = serializers.ChoiceField(choices=ClinicRole.choices, read_only=True)


class ClinicMemberSerializer(serializers.Serializer):
    user = serializers.UUIDField(source="user_id", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    role = serializers.ChoiceField(choices=ClinicRole.choices, read_only=True)
    joined_at = serializers.DateTimeField(read_only=True)


class ClinicRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ClinicRole.choices)


class ClinicInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=ClinicRole.choices, default=ClinicRole.CLINICIAN)


class ClinicInviteCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=ClinicRole.choices, read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class ClinicInviteAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=128, help_text="From the invitation email's link.")


class ClinicInviteLookupSerializer(serializers.Serializer):
    """An invitation as its addressee sees it before accepting: which clinic, which address, which role."""

    clinic_name = serializers.CharField(source="clinic.name", read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=ClinicRole.choices, read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class ClinicPendingInviteSerializer(serializers.Serializer):
    """A pending invitation, as the clinic's admins list it."""

    id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=ClinicRole.choices, read_only=True)
    invited_by = serializers.UUIDField(source="invited_by_id", read_only=True, allow_null=True)
    invited_by_name = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)

    def get_invited_by_name(self, invite) -> str | None:
        # The inviter's account may be gone (SET_NULL): then nobody is named, not a blank name.
        return invite.invited_by.name if invite.invited_by else None
