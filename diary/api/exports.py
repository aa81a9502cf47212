"""Exports: the patient's whole diary as JSON or CSV, and a linked clinician's CSV of one patient."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from diary import selectors
from diary.api.accounts import ProfileSerializer
from diary.api.permissions import IsClinician, IsPatient
from diary.api.records import PATIENT_VIEWSETS
from diary.models import User
from diary.services.sharing import access_log_write

# The CSV is one long table: a `kind` column (the collection name) and the union of all fields.
CSV_LEADING_COLUMNS = ["kind", "id"]


def diary_as_dict(patient: User) -> dict:
    """Every record of the patient, grouped by collection, oldest first, in the API's own shapes."""
    body = {"exported_at": timezone.now().isoformat(), "profile": ProfileSerializer(patient).data}
    for segment, viewset in PATIENT_VIEWSETS.items():
        records = selectors.records_of(viewset.model, patient=patient).reverse()
        body[segment] = viewset.serializer_class(records, many=True).data
    return body


def diary_as_csv(patient: User) -> str:
    collections = {key: value for key, value in diary_as_dict(patient).items() if isinstance(value, list)}
    columns = list(CSV_LEADING_COLUMNS)
    for viewset in PATIENT_VIEWSETS.values():
        for field in viewset.serializer_class().fields:
            if field not in columns:
                columns.append(field)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for segment, rows in collections.items():
        for row in rows:
            writer.writerow({"kind": segment, **{k: _cell(v) for k, v in row.items()}})
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _attachment(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class FormatSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["json", "csv"], default="json")


class ClinicianFormatSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["csv"], default="csv")


FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The export file.")


class PatientExportViewSet(viewsets.ViewSet):
    permission_classes = [IsPatient]

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["json", "csv"])],
        responses={200: FILE},
    )
    def retrieve(self, request):
        chosen = FormatSerializer(data=request.query_params)
        chosen.is_valid(raise_exception=True)
        stamp = timezone.localdate().isoformat()
        if chosen.validated_data["format"] == "csv":
            return _attachment(diary_as_csv(request.user), "text/csv", f"crampwise-{stamp}.csv")
        response = Response(diary_as_dict(request.user))
        response["Content-Disposition"] = f'attachment; filename="crampwise-{stamp}.json"'
        response["Cache-Control"] = "no-store"
        return response


class ClinicianExportViewSet(viewsets.ViewSet):
    permission_classes = [IsClinician]

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["csv"])], responses={200: FILE})
    def retrieve(self, request, patient_id=None):
        patient = selectors.linked_patient(clinician=request.user, patient_id=patient_id)
        chosen = ClinicianFormatSerializer(data=request.query_params)
        chosen.is_valid(raise_exception=True)
        access_log_write(patient=patient, clinician=request.user, action="export csv")
        stamp = timezone.localdate().isoformat()
        return _attachment(diary_as_csv(patient), "text/csv", f"crampwise-{patient.pk}-{stamp}.csv")
