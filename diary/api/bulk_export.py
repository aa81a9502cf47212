"""FHIR Bulk Data over HTTP: a clinic's `Group/<id>/$export` kick-off, the status URL (poll, cancel) and
the NDJSON files, answered in FHIR's own media types (docs/decisions/0033-bulk-export.md).

Only a member of the clinic kicks off; only the member who asked polls, cancels and downloads. Anyone
else (another clinic's member, a clinician of no clinic, a patient) gets a 404, as every clinic route.
"""

import json

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets

from diary import selectors
from diary.models import BulkExport, BulkExportStatus
from diary.selectors.bulk_export import bulk_export_of
from diary.services import bulk_export as service

FHIR_JSON = "application/fhir+json"
FHIR_NDJSON = "application/fhir+ndjson"
# How long a client should wait between polls of a running export.
RETRY_AFTER_SECONDS = 5
EXPIRES_EXTENSION = "expires"
ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported"}


def operation_outcome(status_code: int, text: str, *, severity: str = "error", code: str | None = None):
    body = {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": severity,
                "code": code or ISSUE_CODES.get(status_code, "exception"),
                "diagnostics": text,
            }
        ],
    }
    response = HttpResponse(json.dumps(body), status=status_code, content_type=FHIR_JSON)
    response["Cache-Control"] = "no-store"
    return response


def bad_parameter(field: str, message: str) -> HttpResponse:
    response = operation_outcome(400, message)
    # The FHIR answer names the field in its expression, as a FHIRPath would; the text says it too.
    issue = json.loads(response.content)
    issue["issue"][0]["expression"] = [field]
    response.content = json.dumps(issue)
    return response


def prefer_tokens(request) -> set[str]:
    """The Prefer header's preferences ("respond-async", "handling=lenient"), lower-cased."""
    header = request.headers.get("Prefer", "")
    return {token.strip().lower().replace(" ", "") for token in header.replace(";", ",").split(",") if token}


def _status_url(request, export: BulkExport) -> str:
    return request.build_absolute_uri(reverse("fhir-bulk-export-status", kwargs={"export_id": export.pk}))


def manifest(request, export: BulkExport) -> dict:
    """The Bulk Data manifest of a completed export: one output per non-empty file."""
    return {
        "transactionTime": export.transaction_time.isoformat(),
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": each["type"],
                "url": request.build_absolute_uri(
                    reverse(
                        "fhir-bulk-export-file",
                        kwargs={"export_id": export.pk, "resource_type": each["type"]},
                    )
                ),
                "count": each["count"],
            }
            for each in export.files
        ],
        "error": [],
        # When the files are deleted (BULK_EXPORT_LIFETIME_HOURS after the export finished).
        "extension": {EXPIRES_EXTENSION: export.expires_at.isoformat()},
    }


def _progress(export: BulkExport) -> str:
    if export.status == BulkExportStatus.PENDING:
        return "waiting for a worker"
    if export.patients_total is None:
        return "counting patients"
    return f"{export.patients_done} of {export.patients_total} patients"


class FhirAnswers:
    """Errors as OperationOutcome in application/fhir+json, whatever DRF raised (404, 401, 403, 405)."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        detail = (
            response.data.get("detail", _("The request was refused."))
            if isinstance(response.data, dict)
            else ""
        )
        outcome = operation_outcome(response.status_code, str(detail))
        for header in ("WWW-Authenticate", "Allow", "Retry-After"):
            if header in response:
                outcome[header] = response[header]
        return outcome


class BulkExportViewSet(FhirAnswers, viewsets.ViewSet):
    @extend_schema(
        operation_id="fhir_group_export",
        parameters=[
            OpenApiParameter(
                "Prefer", str, OpenApiParameter.HEADER, required=True, description="respond-async"
            ),
            OpenApiParameter(
                "_outputFormat",
                str,
                description="application/fhir+ndjson (default), application/ndjson, ndjson",
            ),
            OpenApiParameter("_since", str, description="A FHIR instant: only resources changed since."),
            OpenApiParameter(
                "_type",
                str,
                description="Comma-separated: Patient, Observation, MedicationStatement, DetectedIssue.",
            ),
        ],
        responses={
            (202, FHIR_JSON): OpenApiResponse(
                OpenApiTypes.OBJECT, description="Accepted; poll the Content-Location header's URL."
            ),
            (400, FHIR_JSON): OpenApiResponse(OpenApiTypes.OBJECT, description="An OperationOutcome."),
        },
        description="FHIR Bulk Data Group export of every patient who shares with this clinic (the clinic's "
        "own links; a patient who shares with one member only is not in it). Each patient read is written "
        "to their access log, naming the member and the clinic.",
    )
    def kick_off(self, request, clinic_id):
        membership = self._membership(request, clinic_id)
        preferences = prefer_tokens(request)
        if "respond-async" not in preferences:
            return bad_parameter("Prefer", _("A bulk export needs the header Prefer: respond-async."))
        try:
            asked = service.export_request(request.query_params, lenient="handling=lenient" in preferences)
        except service.BadExportParameter as exc:
            return bad_parameter(exc.field, exc.message)
        export = service.bulk_export_kick_off(
            clinic=membership.clinic,
            requested_by=request.user,
            request_url=request.build_absolute_uri(),
            request=asked,
        )
        response = operation_outcome(
            202,
            _("The export has started; poll the Content-Location URL."),
            severity="information",
            code="informational",
        )
        response["Content-Location"] = _status_url(request, export)
        return response

    @extend_schema(
        operation_id="fhir_bulk_export_status",
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="The manifest."),
            (202, None): OpenApiResponse(description="Still running: X-Progress and Retry-After headers."),
            (500, FHIR_JSON): OpenApiResponse(OpenApiTypes.OBJECT, description="The export failed."),
        },
    )
    def status(self, request, export_id):
        export = self._export(request, export_id)
        if export.status in (BulkExportStatus.PENDING, BulkExportStatus.RUNNING):
            service.bulk_export_requeue_if_stalled(export=export)
            response = HttpResponse(status=status.HTTP_202_ACCEPTED)
            response["X-Progress"] = _progress(export)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            response["Cache-Control"] = "no-store"
            return response
        if export.status == BulkExportStatus.FAILED:
            # Stored in English by the worker (service.EXPORT_FAILED); worded here for whoever polls
            # (gettext of "" would be the catalogue's header).
            return operation_outcome(500, _(export.error) if export.error else "", code="exception")
        # The Bulk Data IG answers the manifest as application/json: it is not a FHIR resource.
        response = HttpResponse(json.dumps(manifest(request, export)), content_type="application/json")
        response["Expires"] = http_date(export.expires_at.timestamp())
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        operation_id="fhir_bulk_export_cancel",
        responses={(202, FHIR_JSON): OpenApiResponse(OpenApiTypes.OBJECT, description="Cancelled.")},
    )
    def cancel(self, request, export_id):
        export = self._export(request, export_id)
        service.bulk_export_cancel(export=export)
        return operation_outcome(
            202,
            _("The export is cancelled and its files are deleted."),
            severity="information",
            code="informational",
        )

    @extend_schema(
        operation_id="fhir_bulk_export_file",
        responses={
            (200, FHIR_NDJSON): OpenApiResponse(OpenApiTypes.BINARY, description="One resource a line.")
        },
    )
    def file(self, request, export_id, resource_type):
        export = self._export(request, export_id)
        if export.status != BulkExportStatus.COMPLETED or resource_type not in {
            f["type"] for f in export.files
        }:
            raise Http404
        path = service.file_path(export.pk, resource_type)
        if not path.exists():  # purged a moment ago
            raise Http404
        response = FileResponse(path.open("rb"), content_type=FHIR_NDJSON)
        response["Cache-Control"] = "no-store"
        return response

    def _membership(self, request, clinic_id):
        # A patient belongs to no clinic: 404 like any outsider, so no clinic's existence is told.
        if not request.user.is_clinician:
            raise Http404
        membership = selectors.membership_in(clinic_id=clinic_id, user=request.user)
        self._require_two_factor(request)
        return membership

    def _export(self, request, export_id) -> BulkExport:
        if not request.user.is_clinician:
            raise Http404
        export = bulk_export_of(export_id=export_id, user=request.user)
        self._require_two_factor(request)
        return export

    @staticmethod
    def _require_two_factor(request):
        if settings.REQUIRE_CLINICIAN_2FA and not request.user.totp_enabled:
            raise exceptions.PermissionDenied(
                _("Turn on two-factor sign-in (Profile) before you open patients' diaries.")
            )
