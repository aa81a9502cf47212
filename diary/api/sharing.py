"""Sharing over HTTP: codes, redemption, links, revocation, the access log, and the clinician's list."""

import unicodedata
from collections.abc import Sequence

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from diary import selectors
from diary.api.permissions import IsClinician, IsPatient
from diary.api.records import UUID_PATTERN
from diary.limits import FailureLimit
from diary.models import AccessLogEntry, CareLink, User
from diary.selectors import patient_list
from diary.selectors.patient_list import PatientRow
from diary.services import sharing
from diary.services.summaries import summaries_refresh_shown

# The access-log action of a patient shown in the clinician's list (their summary is on it).
LIST_READ = "saw the summary in the patient list"
ASSIGNED_ME = "me"
NOT_A_MEMBER = gettext_lazy(
    "Choose a member of this link's clinic; a link with one clinician is not assigned."
)
# How the list's times and dates are written, as its serializer's fields would (the settings' format).
AS_MOMENT, AS_DAY = serializers.DateTimeField(), serializers.DateField()
REDEEM_FAILURES = FailureLimit("share-redeem", limit=settings.SHARE_REDEEM_FAILURES, window_seconds=60 * 60)


class ShareCodeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Give this to your clinician; it works once.")
    expires_at = serializers.DateTimeField(read_only=True)


class RedeemSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    clinic = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="One of your clinics (GET /clinics/): the link is then with the clinic, and every member "
        "sees the patient. Left out or null: the link is with you alone.",
    )


class LinkSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.name", read_only=True)
    clinician = serializers.UUIDField(
        source="clinician_id", read_only=True, allow_null=True, help_text="null for a link with a clinic."
    )
    clinician_name = serializers.CharField(
        source="clinician.name", read_only=True, allow_null=True, help_text="null for a link with a clinic."
    )
    clinic = serializers.UUIDField(
        source="clinic_id", read_only=True, allow_null=True, help_text="null for a link with one clinician."
    )
    clinic_name = serializers.CharField(
        source="clinic.name", read_only=True, allow_null=True, help_text="null for a link with one clinician."
    )
    assigned_to_name = serializers.CharField(
        source="assigned_to.name",
        read_only=True,
        allow_null=True,
        help_text="The member of the clinic the patient is assigned to; null: nobody.",
    )
    people = serializers.SerializerMethodField(
        help_text="Who can read the diary through this link, by name (the email when no name is set): the "
        "clinic's members as they stand now, admins first; for a link with one clinician, that clinician."
    )
    patient_timezone = serializers.CharField(
        source="patient.timezone",
        read_only=True,
        help_text="The patient's IANA time zone: the clinician's views show the diary's times on this clock.",
    )
    patient_date_of_birth = serializers.DateField(
        source="patient.date_of_birth",
        read_only=True,
        allow_null=True,
        help_text="From the patient's profile; null: not said.",
    )

    class Meta:
        model = CareLink
        fields = (
            "id",
            "patient",
            "clinician",
            "patient_name",
            "clinician_name",
            "created_at",
            "patient_timezone",
            "clinic_reference",
            "patient_date_of_birth",
            "clinic",
            "clinic_name",
            "assigned_to",
            "assigned_to_name",
            "people",
        )
        read_only_fields = ("clinic_reference", "assigned_to")

    def get_people(self, link: CareLink) -> list[str]:
        if link.clinic_id is None:
            return [link.clinician.name]
        # `.all()`: the members prefetched by selectors.links_of, in its order.
        return [membership.user.name for membership in link.clinic.memberships.all()]


class LinkChangeSerializer(serializers.Serializer):
    clinic_reference = serializers.CharField(
        max_length=40,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="The clinic's own number for the patient, up to 40 characters (trimmed); "
        '"" or null clears it.',
    )

    def validate_clinic_reference(self, value):
        # It is printed on the PDF's header and written into FHIR: one line of visible characters.
        if value and any(unicodedata.category(ch).startswith("C") for ch in value):
            raise serializers.ValidationError(
                _("Use letters, digits, spaces and punctuation only (one line).")
            )
        return value

    assigned_to = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A member of the link's clinic (user id, GET /clinics/<id>/members/) the patient is "
        "assigned to; null: nobody. Only a clinic's link is assigned.",
    )

    def validate(self, attrs):
        if not attrs:  # an empty PATCH: say what it takes (clinic_reference was once the only field)
            raise serializers.ValidationError(
                {"clinic_reference": [_("Send clinic_reference or assigned_to.")]}
            )
        return attrs


class AccessLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLogEntry
        fields = ("clinician", "clinician_name", "clinic_name", "action", "at")


class ShareCodeViewSet(viewsets.ViewSet):
    permission_classes = [IsPatient]

    @extend_schema(request=None, responses={201: ShareCodeSerializer})
    def create(self, request):
        share_code, code = sharing.share_code_create(patient=request.user)
        return Response({"code": code, "expires_at": share_code.expires_at}, status=status.HTTP_201_CREATED)


class RedeemViewSet(viewsets.ViewSet):
    permission_classes = [IsClinician]

    @extend_schema(
        request=RedeemSerializer,
        responses={
            201: inline_serializer("Redeemed", {"patient": serializers.UUIDField(), "link": LinkSerializer()})
        },
    )
    def create(self, request):
        serializer = RedeemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        memberships = {m.clinic_id: m.clinic for m in selectors.clinic_memberships_of(user=request.user)}
        if settings.CLINICIANS_MUST_BELONG_TO_A_CLINIC and not memberships:
            return Response(
                {
                    "detail": _(
                        "Only members of a clinic can open patients' diaries here. Ask your clinic's "
                        "admin to invite you (the invitation comes by email)."
                    )
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        clinic_id = serializer.validated_data.get("clinic")
        if clinic_id is not None and clinic_id not in memberships:
            return Response(
                {"clinic": [_("This is not one of your clinics. Choose one of yours, or leave it out.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        # Counted before the code is looked at: parallel guesses cannot slip past the limit.
        REDEEM_FAILURES.attempt(str(request.user.pk))
        try:
            link = sharing.share_code_redeem(
                clinician=request.user,
                code=serializer.validated_data["code"],
                clinic=memberships.get(clinic_id) if clinic_id is not None else None,
            )
        except sharing.InvalidShareCode:
            return Response(
                {
                    "code": [
                        _("This code is unknown, already used or expired. Ask the patient for a new one.")
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        REDEEM_FAILURES.succeeded(str(request.user.pk))
        return Response(
            {"patient": link.patient_id, "link": LinkSerializer(link).data},
            status=status.HTTP_201_CREATED,
        )


class ClinicianOfLink(IsClinician):
    message = gettext_lazy("Only the clinician of this link can set the clinic reference.")


class LinkViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Both roles list their active links; only the patient revokes; only the clinician sets the clinic
    reference (the clinic's number for the patient: the patient cannot change how the clinic files them)."""

    serializer_class = LinkSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = UUID_PATTERN

    def get_permissions(self):
        if self.action == "destroy":
            return [IsPatient()]
        if self.action == "partial_update":
            return [ClinicianOfLink()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return CareLink.objects.none()
        return selectors.links_of(user=self.request.user)

    def perform_destroy(self, instance):
        sharing.link_revoke(link=instance)

    @extend_schema(
        request=LinkChangeSerializer,
        responses=LinkSerializer,
        description="The link's clinician, or any member of the link's clinic, sets the clinic reference "
        "and (a clinic's link) the member the patient is assigned to; a patient gets 403, a link they do "
        "not read through is a 404.",
    )
    def partial_update(self, request, pk=None):
        link = self.get_object()
        body = LinkChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The assignee is checked first: a refused one changes nothing, the clinic reference included.
        if "assigned_to" in body.validated_data:
            try:
                link = sharing.link_assign(link=link, assigned_to_id=body.validated_data["assigned_to"])
            except sharing.NotAMember:
                raise serializers.ValidationError({"assigned_to": [NOT_A_MEMBER]}) from None
        if "clinic_reference" in body.validated_data:
            link = sharing.link_clinic_reference_set(
                link=link, clinic_reference=body.validated_data["clinic_reference"]
            )
        return Response(LinkSerializer(link).data)


class AccessLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every clinician read and export of the patient's diary, newest first."""

    serializer_class = AccessLogSerializer
    permission_classes = [IsPatient]

    def get_queryset(self):
        return selectors.access_log_of(patient=self.request.user)


class ClinicianPatientSerializer(serializers.ModelSerializer):
    highest_level = serializers.CharField(source="summary.highest_level", allow_null=True, read_only=True)
    insight_codes = serializers.ListField(
        source="summary.insight_codes", child=serializers.CharField(), allow_null=True, read_only=True
    )
    last_entry_at = serializers.DateTimeField(source="summary.last_entry_at", allow_null=True, read_only=True)
    cramp_nights_28d = serializers.IntegerField(source="summary.cramp_nights_28d", read_only=True)
    compression_days_28d = serializers.IntegerField(source="summary.compression_days_28d", read_only=True)
    timezone = serializers.CharField(
        read_only=True,
        help_text="The patient's IANA time zone (their profile's): show `last_entry_at` and every other "
        "time of theirs on this clock.",
    )
    clinic_reference = serializers.CharField(
        read_only=True, allow_null=True, help_text="The clinic's own number for the patient; null: none set."
    )
    date_of_birth = serializers.DateField(read_only=True, allow_null=True, help_text="null: not said.")
    open_alerts = serializers.IntegerField(
        read_only=True,
        help_text="Urgent alerts about the patient not yet reviewed: yours and your clinics'.",
    )
    link = serializers.UUIDField(
        source="link_id", read_only=True, help_text="The sharing link's id: PATCH it to set clinic_reference."
    )
    clinic = serializers.UUIDField(
        source="access_clinic_id",
        read_only=True,
        allow_null=True,
        help_text="The clinic the patient shares with, through which you see them; null: with you alone.",
    )
    clinic_name = serializers.CharField(
        source="access_clinic_name",
        read_only=True,
        allow_null=True,
        help_text="The clinic's name: the label.",
    )
    assigned_to = serializers.UUIDField(
        source="assigned_to_id",
        read_only=True,
        allow_null=True,
        help_text="The clinic member the patient is assigned to (PATCH the link to change it); null: nobody, "
        "or a link with you alone.",
    )
    assigned_to_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = (
            "id",
            "email",
            "display_name",
            "highest_level",
            "insight_codes",
            "last_entry_at",
            "cramp_nights_28d",
            "compression_days_28d",
            "timezone",
            "clinic_reference",
            "date_of_birth",
            "open_alerts",
            "link",
            "clinic",
            "clinic_name",
            "assigned_to",
            "assigned_to_name",
        )


def patient_row_data(row: PatientRow) -> dict:
    """A row of the list as ClinicianPatientSerializer's fields would write it (a missing summary gives
    nulls), built in one pass: a field lookup per value would be 8,500 of them for a page of 500."""
    return {
        "id": str(row.id),
        "email": row.email,
        "display_name": row.display_name,
        "highest_level": row.highest_level,
        "insight_codes": list(row.insight_codes) if row.has_summary else None,
        "last_entry_at": AS_MOMENT.to_representation(row.last_entry_at) if row.last_entry_at else None,
        "cramp_nights_28d": row.cramp_nights_28d,
        "compression_days_28d": row.compression_days_28d,
        "timezone": row.timezone,
        "clinic_reference": row.clinic_reference,
        "date_of_birth": AS_DAY.to_representation(row.date_of_birth) if row.date_of_birth else None,
        "open_alerts": row.open_alerts,
        "link": str(row.link),
        "clinic": _uuid_text(row.clinic),
        "clinic_name": row.clinic_name,
        "assigned_to": _uuid_text(row.assigned_to),
        "assigned_to_name": row.assigned_to_name,
    }


def _uuid_text(value) -> str | None:
    return None if value is None else str(value)


class _CountedPage(Sequence):
    """The one page read, standing for the whole list of `total` rows to DRF's paginator: it validates
    the page number against the total and builds the links, and slices out exactly this page."""

    def __init__(self, rows: list, *, total: int, offset: int):
        self.rows, self.total, self.offset = rows, total, offset

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice) or (index.start or 0) != self.offset:
            raise IndexError("only the page read can be taken")
        return self.rows


class AssignedSerializer(serializers.Serializer):
    assigned = serializers.ChoiceField(choices=[ASSIGNED_ME], required=False)


class ClinicianPatientViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The clinician's linked patients: those with an open alert first, then most urgent, then the most
    recent evidence.

    Reads the per-patient summaries, in the order they hold; any on the page still stale from a recent
    write (or missing, or a day old) is recomputed before it is shown, so a row shown is never an old
    one. Only the page's, and at most a page's worth: the others are the half-minute tick's, so a list
    with hundreds of stale patients costs a page, not all of them (docs/decisions/0012). Each patient
    shown is a read of their diary's summary (titles such as "Emergency: chest pain" are on it), so
    each gets an access-log row, in one insert.
    """

    serializer_class = ClinicianPatientSerializer
    permission_classes = [IsClinician]

    def get_queryset(self):  # for the schema: the rows come from selectors.patient_list, one statement
        return User.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Part of a name or email."),
            OpenApiParameter(
                "assigned", str, enum=[ASSIGNED_ME], description="me: only the patients assigned to you."
            ),
        ]
    )
    def list(self, request):
        chosen = AssignedSerializer(data=request.query_params)
        chosen.is_valid(raise_exception=True)
        filters = {
            "clinician": request.user,
            "search": request.query_params.get("search", ""),
            "assigned_to_me": chosen.validated_data.get("assigned") == ASSIGNED_ME,
        }
        seen = (LIST_READ, sharing.list_read_since())
        paginator = self.paginator
        size = paginator.get_page_size(request)
        number = request.query_params.get(paginator.page_query_param, 1)
        total = None
        if number in paginator.last_page_strings:
            total = patient_list.patient_count(**filters)
            number = max(1, -(-total // size))
        try:
            offset = (int(number) - 1) * size
        except (TypeError, ValueError):
            offset = 0  # DRF's paginator answers 404 "Invalid page." below, as for any list
        page = patient_list.patient_page(limit=size, offset=max(offset, 0), seen=seen, **filters)
        if total is None:
            total = page.total if page.total is not None else patient_list.patient_count(**filters)
        rows = paginator.paginate_queryset(_CountedPage(page.rows, total=total, offset=offset), request, self)
        if summaries_refresh_shown(rows=rows):
            # The same patients again, with their new figures and in the order those give.
            only = [row.id for row in rows]
            rows = patient_list.patient_page(limit=len(only), only=only, seen=seen, **filters).rows
        reads = [(row.id, row.clinic, row.clinic_name) for row in rows]
        seen = {row.id for row in rows if row.seen}
        sharing.access_log_write_many(reads=reads, clinician=request.user, action=LIST_READ, seen=seen)
        return paginator.get_paginated_response([patient_row_data(row) for row in rows])
