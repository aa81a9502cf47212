"""Sharing over HTTP: codes, redemption, links, revocation, the access log, and the clinician's list."""

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from diary import selectors
from diary.api.permissions import IsClinician, IsPatient
from diary.api.records import UUID_PATTERN
from diary.failures import FailureLimit
from diary.models import AccessLogEntry, CareLink, User
from diary.services import sharing

REDEEM_FAILURES = FailureLimit("share-redeem", limit=settings.SHARE_REDEEM_FAILURES, window_seconds=60 * 60)


class ShareCodeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Give this to your clinician; it works once.")
    expires_at = serializers.DateTimeField(read_only=True)


class RedeemSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class LinkSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.name", read_only=True)
    clinician_name = serializers.CharField(source="clinician.name", read_only=True)

    class Meta:
        model = CareLink
        fields = ("id", "patient", "clinician", "patient_name", "clinician_name", "created_at")


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
        REDEEM_FAILURES.check(str(request.user.pk))
        try:
            link = sharing.share_code_redeem(clinician=request.user, code=serializer.validated_data["code"])
        except sharing.InvalidShareCode:
            REDEEM_FAILURES.fail(str(request.user.pk))
            return Response(
                {"code": ["This code is unknown, already used or expired. Ask the patient for a new one."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
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
    highest_level = serializers.CharField(allow_null=True, read_only=True)
    insight_codes = serializers.ListField(child=serializers.CharField(), allow_null=True, read_only=True)
    last_entry_at = serializers.DateTimeField(allow_null=True, read_only=True)
    cramp_nights_28d = serializers.IntegerField(read_only=True)
    compression_days_28d = serializers.IntegerField(read_only=True)

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
        )


class ClinicianPatientViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The clinician's linked patients, most recent entry first (insight fields arrive with insights)."""

    serializer_class = ClinicianPatientSerializer
    permission_classes = [IsClinician]

    def get_queryset(self):
        return selectors.clinician_patients(clinician=self.request.user)

    def list(self, request):
        patients = list(self.get_queryset())
        counts = selectors.recent_counts(patient_ids=[patient.pk for patient in patients])
        for patient in patients:
            patient.last_entry_at = selectors.last_entry_at(patient)
            patient.highest_level = None
            patient.insight_codes = None
            patient.cramp_nights_28d = counts[patient.pk]["cramp_nights_28d"]
            patient.compression_days_28d = counts[patient.pk]["compression_days_28d"]
        patients.sort(
            key=lambda p: (p.last_entry_at is None, -(p.last_entry_at.timestamp() if p.last_entry_at else 0))
        )
        page = self.paginate_queryset(patients)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
