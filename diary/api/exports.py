"""Exports: a patient's own JSON, CSV or visit summary PDF; a linked clinician's CSV, FHIR Bundle or PDF,
each logged."""

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from diary import insights, selectors
from diary.api.negotiation import AnswersInJson
from diary.api.patient_export import diary_as_csv, diary_as_dict
from diary.api.permissions import IsClinician, IsPatient
from diary.exports.fhir import ROWS_PER_FETCH, bundle_chunks
from diary.exports.headline import headline
from diary.exports.names import content_disposition, export_filenames
from diary.exports.pdf import visit_summary_pdf
from diary.exports.tabular import record_csv_lines
from diary.kinds import KINDS
from diary.models import UrgentAlert
from diary.selectors.facts import patient_facts
from diary.selectors.report import report_series
from diary.selectors.trends import trend_series
from diary.services.sharing import access_log_write

# The PDF's default range: the last 12 weeks, as a visit usually looks back on.
PDF_DEFAULT_DAYS = 84
PDF_MIN_DAYS, PDF_MAX_DAYS = 7, 365


def _as_download(response, patient, extension: str):
    # Named by the patient and their local date, never the UUID: a clinician's downloads folder holds
    # many patients' files, and the patient's own is theirs to recognise.
    response["Content-Disposition"] = content_disposition(*export_filenames(patient, extension=extension))
    response["Cache-Control"] = "no-store"
    return response


def _attachment(content, content_type: str, patient, extension: str) -> HttpResponse:
    return _as_download(HttpResponse(content, content_type=content_type), patient, extension)


class FormatSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["json", "csv", "pdf"], default="json")
    days = serializers.IntegerField(min_value=PDF_MIN_DAYS, max_value=PDF_MAX_DAYS, default=PDF_DEFAULT_DAYS)


class ClinicianFormatSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["csv", "fhir", "pdf"], default="csv")
    days = serializers.IntegerField(min_value=PDF_MIN_DAYS, max_value=PDF_MAX_DAYS, default=PDF_DEFAULT_DAYS)


class FormatParameterDecides(AnswersInJson):
    """The file's type follows `format`, not the Accept header: a FHIR client asking for
    application/fhir+json gets its Bundle, and errors are JSON. (GET only: no body to parse.)"""

    def select_parser(self, request, parsers):
        return parsers[0]


FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The export file.")


class PatientExportViewSet(viewsets.ViewSet):
    permission_classes = [IsPatient]

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["json", "csv", "pdf"], description="json when left out."),
            OpenApiParameter(
                "days",
                int,
                description=f"The PDF's period, the last {PDF_MIN_DAYS} to {PDF_MAX_DAYS} local days "
                f"(today included); {PDF_DEFAULT_DAYS} when left out. JSON and CSV hold everything.",
            ),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Everything kept about the patient: the profile, every record, questionnaire "
                "answers, reminders and their deliveries, push subscriptions (no keys), sharing links and "
                "codes (no digests), and the access log; each collection oldest first.",
            ),
            (200, "text/csv"): FILE,
            (200, "application/pdf"): FILE,
        },
        description="JSON, CSV (docs/decisions/0007) or PDF: the clinician's one-page visit summary of the "
        "last `days` days, headed by sentences comparing them with the days before (docs/decisions/0029), "
        "without the clinician's clinic reference; not written to the access log (the patient's own read). "
        "The JSON and CSV: docs/decisions/0007. The CSV holds every list of the JSON, one row per "
        "item, with a `kind` column; text cells that a spreadsheet would take for a formula start "
        "with a quote. After the columns above, `timezone` (the patient's IANA zone) and, for each time "
        'column, the same instant on the patient\'s clock (`started_at_local`: "2026-11-30 03:48"). The '
        "file is named by the patient and their local date (crampwise-alice-smith-2026-12-03.csv; RFC 6266 "
        "`filename*` for a name beyond ASCII); docs/decisions/0023.",
    )
    def retrieve(self, request):
        chosen = FormatSerializer(data=request.query_params)
        chosen.is_valid(raise_exception=True)
        if chosen.validated_data["format"] == "pdf":
            pdf = patient_pdf_export(request.user, days=chosen.validated_data["days"])
            return _attachment(pdf, "application/pdf", request.user, "pdf")
        if chosen.validated_data["format"] == "csv":
            return _attachment(diary_as_csv(request.user), "text/csv", request.user, "csv")
        return _as_download(Response(diary_as_dict(request.user)), request.user, "json")


def _in_language(chunks, language: str):
    """The chunks, each made in `language`: a streamed response is read after its view has returned,
    and any words still to be made (a lazy insight title, say) are the reader's. Active only while a
    chunk is made, so nothing else the thread runs in between is changed."""
    chunks = iter(chunks)
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def _streamed(chunks, content_type: str, patient, extension: str) -> StreamingHttpResponse:
    chunks = _in_language(chunks, translation.get_language())
    return _as_download(StreamingHttpResponse(chunks, content_type=content_type), patient, extension)


def fhir_export(patient, *, clinician):
    """The Bundle's JSON in chunks. The insights, alerts and clinic reference are read now; the records,
    one query per kind, oldest first, as the stream reaches them, a fetch of rows at a time."""
    now = timezone.now()
    records = {
        kind.segment: selectors.records_of(kind.model, patient=patient)
        .reverse()
        .values(*kind.fhir_fields)
        .iterator(chunk_size=ROWS_PER_FETCH)
        for kind in KINDS
    }
    return bundle_chunks(
        patient,
        records=records,
        base_url=settings.PUBLIC_BASE_URL,
        now=now,
        insights=insights.evaluate(patient_facts(patient, now=now)),
        alerts=list(UrgentAlert.objects.filter(patient=patient)),
        clinician_id=clinician.pk,
        clinic_reference=selectors.clinic_reference(patient=patient, clinician=clinician),
    )


def pdf_export(patient, *, clinician, days: int) -> bytes:
    now = timezone.now()
    return visit_summary_pdf(
        date_of_birth=patient.date_of_birth,
        clinic_reference=selectors.clinic_reference(patient=patient, clinician=clinician),
        name=patient.name,
        time_zone=patient.timezone,
        fluid_target_ml=patient.fluid_target_ml,
        trends=trend_series(patient, days=days, now=now),
        insights=insights.evaluate(patient_facts(patient, now=now)),
        generated_at=now,
        clinician=clinician.name,
        viewer_time_zone=clinician.timezone,
    )


def patient_pdf_export(patient, *, days: int) -> bytes:
    """The patient's own visit summary: the clinician's page for the last `days` days, with the headline."""
    now = timezone.now()
    report = report_series(patient, days=days, now=now)
    return visit_summary_pdf(
        date_of_birth=patient.date_of_birth,
        name=patient.name,
        time_zone=patient.timezone,
        fluid_target_ml=patient.fluid_target_ml,
        trends=report["trends"],
        insights=insights.evaluate(patient_facts(patient, now=now)),
        generated_at=now,
        clinician=_("the patient"),
        headline=headline(
            report["both"],
            period=days,
            checkin_days=report["checkin_days"],
            diary_started_on=report["trends"]["diary_started_on"],
        ),
    )


class ClinicianExportViewSet(viewsets.ViewSet):
    permission_classes = [IsClinician]
    content_negotiation_class = FormatParameterDecides

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["csv", "fhir", "pdf"],
                description="csv: every record, one long table. fhir: a FHIR R4 Bundle (collection) with one "
                "patient-reported Observation per record. pdf: a one-page visit summary. csv when left out.",
            ),
            OpenApiParameter(
                "days",
                int,
                description=f"The PDF's period, the last {PDF_MIN_DAYS} to {PDF_MAX_DAYS} local days "
                f"(today included); {PDF_DEFAULT_DAYS} when left out. CSV and FHIR hold every record.",
            ),
        ],
        responses={
            (200, "text/csv"): FILE,
            (200, "application/fhir+json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="A FHIR R4 Bundle of type collection."
            ),
            (200, "application/pdf"): FILE,
        },
        description="Every export is written to the patient's access log. A patient who has not shared "
        "with this clinician, or has revoked the link, is a 404. The file is named by the patient and "
        "their local date, never their id (crampwise-alice-smith-2026-12-03.pdf); the CSV ends with "
        "`timezone` and each time column on the patient's clock (`started_at_local`); docs/decisions/0023.",
    )
    def retrieve(self, request, patient_id=None):
        patient = selectors.linked_patient(clinician=request.user, patient_id=patient_id)
        chosen = ClinicianFormatSerializer(data=request.query_params)
        chosen.is_valid(raise_exception=True)
        kind = chosen.validated_data["format"]
        access_log_write(patient=patient, clinician=request.user, action=f"export {kind}")
        if kind == "fhir":
            bundle = fhir_export(patient, clinician=request.user)
            return _streamed(bundle, "application/fhir+json", patient, "fhir.json")
        if kind == "pdf":
            pdf = pdf_export(patient, clinician=request.user, days=chosen.validated_data["days"])
            return _attachment(pdf, "application/pdf", patient, "pdf")
        # The records only: the patient's reminders, devices, links and access log are not the clinician's.
        return _streamed(record_csv_lines(patient), "text/csv", patient, "csv")
