"""The diary collections, one per kind (diary.kinds): the patient's own CRUD, and a linked clinician's
read-only lists."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from diary import insights, selectors
from diary.api.permissions import IsClinician, IsPatient
from diary.api.serializers import CheckInCreatedSerializer, InsightSerializer
from diary.kinds import KINDS, Kind
from diary.selectors.facts import checkin_fact
from diary.services.records import record_create, record_delete, record_update
from diary.services.sharing import access_log_write

UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"

TIME_BOUND_PARAMETERS = [
    OpenApiParameter("since", OpenApiTypes.DATETIME, description="Only records at or after this time."),
    OpenApiParameter("until", OpenApiTypes.DATETIME, description="Only records at or before this time."),
]


class TimeBoundsSerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)


def time_bounds(request) -> dict:
    bounds = TimeBoundsSerializer(data=request.query_params)
    bounds.is_valid(raise_exception=True)
    return bounds.validated_data


class RecordListMixin:
    """Lists a patient's records of one kind, newest first, paginated, bounded by since/until."""

    model = None

    def list_for(self, request, patient):
        records = selectors.records_of(self.model, patient=patient, **time_bounds(request))
        page = self.paginate_queryset(records)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PatientRecordViewSet(RecordListMixin, viewsets.GenericViewSet):
    """GET (list), POST, and GET/PATCH/DELETE of one record, for the patient who owns it."""

    permission_classes = [IsPatient]
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return self.model.objects.filter(patient=self.request.user)

    @extend_schema(parameters=TIME_BOUND_PARAMETERS)
    def list(self, request):
        return self.list_for(request, request.user)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        serializer = self.serializer_class.for_create()
        data = serializer.run_validation(request.data)  # a 400 naming each field at fault
        data = serializer.validate_for_patient(data, patient=request.user)
        record, created = record_create(
            model=self.model, patient=request.user, data=data, record_id=data.pop("id", None)
        )
        return Response(
            self.created_body(serializer.to_representation(record), record),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def created_body(self, body: dict, record) -> dict:
        return body

    def partial_update(self, request, pk=None):
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validate_for_patient(
            dict(serializer.validated_data), patient=request.user, instance=record
        )
        data.pop("id", None)
        serializer.instance = record_update(record=record, data=data)
        return Response(serializer.data)

    def destroy(self, request, pk=None):
        record_delete(record=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


CONFLICT = OpenApiResponse(
    inline_serializer("IdConflict", {"id": serializers.ListField(child=serializers.CharField())}),
    description="The id is already used by a record created from a different request.",
)


def create_responses(serializer) -> dict:
    return {
        201: serializer,
        200: OpenApiResponse(serializer, description="A replay of an earlier create: nothing new created."),
        409: CONFLICT,
    }


# A check-in's create also answers the urgent warnings it raised. (No docstring: the schema would take
# it for the description of every check-in operation in place of PatientRecordViewSet's.)
class PatientCheckInViewSet(PatientRecordViewSet):
    def created_body(self, body: dict, record) -> dict:
        # The urgent warnings this very check-in raises, shown at once (the PWA mirrors them offline).
        # Logged long after it was recorded (a paper diary typed in): worded for the past, still urgent.
        urgent = insights.urgent_for_checkin(
            checkin_fact(record), previous_dvt=self.request.user.previous_dvt, logged_at=record.created_at
        )
        raised = InsightSerializer([insight.as_dict() for insight in urgent], many=True).data
        return {**body, "insights": raised}


# What a kind's create answers beyond its record, by segment; every other kind answers its record.
CREATE_BEHAVIOUR = {"checkins": (PatientCheckInViewSet, CheckInCreatedSerializer)}


def patient_viewset(kind: Kind) -> type[PatientRecordViewSet]:
    """The patient's own collection of one kind: /api/v1/<segment>/."""
    base, created = CREATE_BEHAVIOUR.get(kind.segment, (PatientRecordViewSet, kind.serializer))
    name = kind.serializer.__name__.removesuffix("Serializer") + "ViewSet"
    viewset = type(name, (base,), {"model": kind.model, "serializer_class": kind.serializer})
    return extend_schema_view(create=extend_schema(responses=create_responses(created)))(viewset)


PATIENT_VIEWSETS = {kind.segment: patient_viewset(kind) for kind in KINDS}


class ClinicianRecordViewSet(RecordListMixin, viewsets.GenericViewSet):
    """A linked patient's records of one kind, read-only, as the patient's own list. Logged."""

    permission_classes = [IsClinician]
    segment = ""

    @extend_schema(parameters=TIME_BOUND_PARAMETERS)
    def list(self, request, patient_id=None):
        patient = selectors.linked_patient(clinician=request.user, patient_id=patient_id)
        response = self.list_for(request, patient)
        access_log_write(patient=patient, clinician=request.user, action=f"read {self.segment}")
        return response


def clinician_viewset(segment: str) -> type[ClinicianRecordViewSet]:
    """The clinician's read-only twin of a patient collection."""
    patient_viewset = PATIENT_VIEWSETS[segment]
    return type(
        f"Clinician{patient_viewset.__name__}",
        (ClinicianRecordViewSet,),
        {
            "model": patient_viewset.model,
            "serializer_class": patient_viewset.serializer_class,
            "segment": segment,
        },
    )
