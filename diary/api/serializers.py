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


# What the rules' windows mean (PRODUCT.md leaves it open; docs/decisions/0011, "What the rules mean").
INSIGHT_WINDOWS = (
    "Windows, in the patient's zone: 'the last 28 days' are the 28 local dates today-27 .. today "
    "(check-ins and cramp episodes by their local date) and the 28 nights today-28 .. today-1 (night D "
    "runs from 12:00 on D to 12:00 on D + 1; tonight is not over and not counted). 'The last 2 or 7 days' "
    "(emergency_warning; urgent_dvt_warning, swollen_painful_leg, both_legs_swollen) are by the clock: "
    "recorded at most 48 h or 168 h before now, both ends included. chest_pain_follow_up takes over the "
    "moment emergency_warning ends (more than 48 h) and lasts while the report's local date is one of the "
    "28. 'Cramps on 8 nights' counts nights with a nocturnal cramp logged and nights known only from a "
    "morning 'some'. A cramp is nocturnal when it woke the patient, came while sleeping, or started in the "
    "night window [start, end): the end minute itself is outside."
)


class InsightSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="A stable code (PRODUCT.md, Insights); the three advice follow-ups of issue 21 are "
        "swollen_painful_leg, both_legs_swollen and chest_pain_follow_up. " + INSIGHT_WINDOWS
    )
    level = serializers.ChoiceField(choices=["info", "advice", "urgent"])
    title = serializers.CharField()
    explanation = serializers.CharField()
    evidence = serializers.DictField(
        help_text="What fired it: counts, local dates (ISO) and the times of the records behind it."
    )
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
