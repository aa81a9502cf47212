"""The /api/v1/ routes (CONTRACT.md)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from diary.api import (
    accounts,
    alerts,
    bulk_export,
    clinics,
    exports,
    factors,
    records,
    reminders,
    sharing,
    trends,
)

# The diary collections are most of the traffic (every entry a patient logs): their routes come first,
# so that resolving a write does not try every other pattern before them.
records_router = SimpleRouter()
for segment, viewset in records.PATIENT_VIEWSETS.items():
    records_router.register(segment, viewset, basename=segment)

router = SimpleRouter()
router.register("auth", accounts.AuthViewSet, basename="auth")
router.register("auth", accounts.SessionViewSet, basename="session")
router.register("auth/2fa", accounts.TwoFactorViewSet, basename="two-factor")
router.register("sharing/links", sharing.LinkViewSet, basename="sharing-links")
router.register("access-log", sharing.AccessLogViewSet, basename="access-log")
router.register("factors", factors.FactorViewSet, basename="factors")
router.register("reminders", reminders.ReminderViewSet, basename="reminders")
router.register("push", reminders.PushViewSet, basename="push")
router.register("claudication", trends.ClaudicationViewSet, basename="claudication")
router.register("clinician/patients", sharing.ClinicianPatientViewSet, basename="clinician-patients")
router.register("clinician/alerts", alerts.AlertViewSet, basename="clinician-alerts")
router.register("clinics", clinics.ClinicViewSet, basename="clinics")

clinic_routes = [
    path("members/", clinics.ClinicMemberViewSet.as_view({"get": "list"}), name="clinic-members"),
    path(
        "members/<uuid:user_id>/",
        clinics.ClinicMemberViewSet.as_view({"delete": "destroy", "patch": "partial_update"}),
        name="clinic-member",
    ),
    path(
        "invites/",
        clinics.ClinicInviteViewSet.as_view({"get": "list", "post": "create"}),
        name="clinic-invites",
    ),
    path(
        "invites/<uuid:invite_id>/",
        clinics.ClinicInviteViewSet.as_view({"delete": "destroy"}),
        name="clinic-invite",
    ),
    path(
        "links/<uuid:link_id>/", clinics.ClinicLinkViewSet.as_view({"delete": "destroy"}), name="clinic-link"
    ),
]

clinician_patient = [
    path(
        f"{segment}/",
        records.clinician_viewset(segment).as_view({"get": "list"}),
        name=f"clinician-{segment}",
    )
    for segment in records.PATIENT_VIEWSETS
] + [
    path("factors/", factors.ClinicianFactorViewSet.as_view({"get": "list"}), name="clinician-factors"),
    path("trends/", trends.ClinicianTrendsViewSet.as_view({"get": "trends"}), name="clinician-trends"),
    path("insights/", trends.ClinicianTrendsViewSet.as_view({"get": "insights"}), name="clinician-insights"),
    path(
        "export/",
        exports.ClinicianExportViewSet.as_view({"get": "retrieve"}),
        name="clinician-export",
    ),
]

urlpatterns = [
    *records_router.urls,
    path(
        "profile/",
        accounts.ProfileViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="profile",
    ),
    path("account/", accounts.AccountViewSet.as_view({"delete": "destroy"}), name="account"),
    path("sharing/codes/", sharing.ShareCodeViewSet.as_view({"post": "create"}), name="sharing-codes"),
    path("sharing/redeem/", sharing.RedeemViewSet.as_view({"post": "create"}), name="sharing-redeem"),
    path(
        "reminders/actions/",
        reminders.ReminderActionViewSet.as_view({"post": "create"}),
        name="reminder-actions",
    ),
    path(
        "summaries/weekly/",
        reminders.WeeklySummaryViewSet.as_view({"get": "retrieve"}),
        name="summaries-weekly",
    ),
    path("trends/", trends.TrendsViewSet.as_view({"get": "trends"}), name="trends"),
    path("insights/", trends.TrendsViewSet.as_view({"get": "insights"}), name="insights"),
    path(
        "insights/acknowledge/",
        trends.TrendsViewSet.as_view({"post": "acknowledge"}),
        name="insights-acknowledge",
    ),
    path("export/", exports.PatientExportViewSet.as_view({"get": "retrieve"}), name="export"),
    path("clinician/patients/<uuid:patient_id>/", include(clinician_patient)),
    path(
        "clinics/invites/accept/",
        clinics.ClinicInviteViewSet.as_view({"post": "accept"}),
        name="clinic-invites-accept",
    ),
    path(
        "clinics/invites/lookup/",
        clinics.ClinicInviteViewSet.as_view({"post": "lookup"}),
        name="clinic-invites-lookup",
    ),
    path("clinics/<uuid:clinic_id>/", include(clinic_routes)),
    # FHIR Bulk Data (docs/decisions/0033-bulk-export.md): paths as the IG names them, so no trailing slash.
    path(
        "fhir/Group/<uuid:clinic_id>/$export",
        bulk_export.BulkExportViewSet.as_view({"get": "kick_off"}),
        name="fhir-group-export",
    ),
    path(
        "fhir/bulk-export/<uuid:export_id>",
        bulk_export.BulkExportViewSet.as_view({"get": "status", "delete": "cancel"}),
        name="fhir-bulk-export-status",
    ),
    path(
        "fhir/bulk-export/<uuid:export_id>/<str:resource_type>.ndjson",
        bulk_export.BulkExportViewSet.as_view({"get": "file"}),
        name="fhir-bulk-export-file",
    ),
    path("", include(router.urls)),
]
