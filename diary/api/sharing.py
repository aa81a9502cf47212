"""Sharing over HTTP: codes, redemption, links, revocation, the access log, and the clinician's list."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from diary import selectors
from diary.api.permissions import IsClinician, IsPatient
from diary.api.records import UUID_PATTERN
from diary.failures import FailureLimit
from diary.models import AccessLogEntry, CareLink, User
from diary.services import sharing
from diary.services.summaries import summaries_refresh_outdated

REDEEM_FAILURES = FailureLimit("share-redeem", limit=settings.SHARE_REDEEM_FAILURES, window_seconds=60 * 60)


class ShareCodeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Give this to your clinician; it works once.")
    expires_at = serializers.DateTimeField(read_only=True)


class RedeemSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class LinkSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.name", read_only=True)
    clinician_name = serializers.CharField(source="clinician.name", read_only=True)
    patient_timezone = serializers.CharField(
        source="patient.timezone",
        read_only=True,
        help_text="The patient's IANA time zone: the clinician's views show the diary's times on this clock.",
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
        )


class AccessLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLogEntry
        fields = ("clinician", "clinician_name", "action", "at")


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
        # Counted before the code is looked at: parallel guesses cannot slip past the limit.
        REDEEM_FAILURES.attempt(str(request.user.pk))
        try:
            link = sharing.share_code_redeem(clinician=request.user, code=serializer.validated_data["code"])
        except sharing.InvalidShareCode:
            return Response(
                {"code": ["This code is unknown, already used or expired. Ask the patient for a new one."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        REDEEM_FAILURES.succeeded(str(request.user.pk))
        return Response(
            {"patient": link.patient_id, "link": LinkSerializer(link).data},
            status=status.HTTP_201_CREATED,
        )


class LinkViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Both roles list their active links; only the patient revokes."""

    serializer_class = LinkSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = UUID_PATTERN

    def get_permissions(self):
        if self.action == "destroy":
            return [IsPatient()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return CareLink.objects.none()
        return selectors.links_of(user=self.request.user)

    def perform_destroy(self, instance):
        sharing.link_revoke(link=instance)


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
        )


class ClinicianPatientViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The clinician's linked patients, most urgent first, then the most recent evidence.

    Reads the per-patient summaries; any still stale from a recent write (or a day old) is recomputed
    first, so the list never shows an old one.
    """

    serializer_class = ClinicianPatientSerializer
    permission_classes = [IsClinician]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return selectors.clinician_patients(
            clinician=self.request.user, search=self.request.query_params.get("search", "")
        )

    @extend_schema(parameters=[OpenApiParameter("search", str, description="Part of a name or email.")])
    def list(self, request):
        summaries_refresh_outdated(patients=selectors.linked_patients(clinician=request.user))
        return super().list(request)
