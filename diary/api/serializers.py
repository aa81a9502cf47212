"""The API's serializers beyond the records' own (which live with their kinds, diary.kinds)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diary.kinds.checkin import CheckInSerializer
from diary.models import ClinicRole


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "22:00"})
class ClockTimeField(serializers.TimeField):
    """A wall-clock time as the contract writes it, "HH:MM" (seconds are accepted and dropped)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


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
