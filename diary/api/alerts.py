"""The clinician's and their clinics' urgent alerts over HTTP: the list (open first) and the review."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from diary.api.permissions import IsClinician
from diary.api.records import UUID_PATTERN
from diary.models import UrgentAlert
from diary.selectors import alerts as alert_reads
from diary.services import alerts

NOTE_MAX_LENGTH = 2000
ASSIGNED_ME = "me"
# One title per warning, worded for the clinician: the patient's own titles vary with the check-in (a
# swollen leg or only a painful calf) and speak to the patient ("call for help now").
# The clinician's words for an alert's code, in the reader's language when read.
ALERT_TITLES = {
    "emergency_warning": gettext_lazy("Sudden chest pain or breathlessness reported"),
    "urgent_dvt_warning": gettext_lazy(
        "Calf pain with one-sided swelling, sudden onset or redness (possible DVT)"
    ),
}


class AlertSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.name", read_only=True)
    patient_timezone = serializers.CharField(
        source="patient.timezone",
        read_only=True,
        help_text="The patient's IANA zone: show the alert's times on this clock, labelled.",
    )
    clinic = serializers.UUIDField(
        source="clinic_id",
        read_only=True,
        allow_null=True,
        help_text="The clinic whose alert this is (any member reviews it, once); null: yours alone.",
    )
    clinic_name = serializers.CharField(
        source="clinic.name", read_only=True, allow_null=True, help_text="null for an alert of yours alone."
    )
    title = serializers.SerializerMethodField(help_text="The warning, worded for the clinician.")
    acknowledgement = serializers.SerializerMethodField(
        help_text='The patient\'s answer, "got_help" or "seen_doctor", at acknowledged_by_patient_at; null: '
        "none while the alert was open."
    )

    class Meta:
        model = UrgentAlert
        fields = (
            "id",
            "patient",
            "patient_name",
            "clinic",
            "clinic_name",
            "code",
            "level",
            "title",
            "raised_at",
            "evidence_at",
            "last_evidence_at",
            "patient_timezone",
            "acknowledged_by_patient_at",
            "acknowledgement",
            "reviewed_at",
            "reviewed_by",
            "reviewed_by_name",
            "note",
        )
        read_only_fields = fields

    def get_title(self, alert) -> str:
        return str(ALERT_TITLES.get(alert.code, alert.code))

    def get_acknowledgement(self, alert) -> str | None:
        if alert.acknowledged_by_patient_at is None:
            return None
        actions = self.context.get("acknowledgements")
        if actions is None:  # one alert: its own query
            actions = alert_reads.alert_acknowledgements([alert])
        return actions.get((alert.patient_id, alert.code, alert.acknowledged_by_patient_at))


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[alert_reads.OPEN, alert_reads.REVIEWED], required=False)
    assigned = serializers.ChoiceField(choices=[ASSIGNED_ME], required=False)


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


class AlertViewSet(viewsets.GenericViewSet):
    """A clinician's own alerts, one per urgent warning of a linked patient, and their clinics' alerts, one
    per warning of a patient sharing with the clinic; reviewing one (any member, for a clinic's) closes it."""

    permission_classes = [IsClinician]
    serializer_class = AlertSerializer
    lookup_value_regex = UUID_PATTERN

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["open", "reviewed"], description="Both if left out."),
            OpenApiParameter(
                "assigned",
                str,
                enum=[ASSIGNED_ME],
                description="me: only your clinics' alerts about patients assigned to you.",
            ),
        ]
    )
    def list(self, request):
        chosen = StatusSerializer(data=request.query_params)
        chosen.is_valid(raise_exception=True)
        page = self.paginate_queryset(
            alert_reads.alerts_of(
                clinician=request.user,
                status=chosen.validated_data.get("status"),
                assigned_to_me=chosen.validated_data.get("assigned") == ASSIGNED_ME,
            )
        )
        context = {"acknowledgements": alert_reads.alert_acknowledgements(page)}
        return self.get_paginated_response(AlertSerializer(page, many=True, context=context).data)

    @extend_schema(request=ReviewSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Mark the alert reviewed, with an optional note; a second review changes nothing."""
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alert = alert_reads.alerts_of(clinician=request.user).filter(pk=pk).first()
        if alert is None:  # another clinician's or clinic's, or of a patient no longer linked: not revealed
            raise Http404
        alert = alerts.alert_review(alert=alert, clinician=request.user, note=body.validated_data["note"])
        return Response(AlertSerializer(alert).data)
