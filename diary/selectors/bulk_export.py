"""Reads for FHIR Bulk Data exports: a member's own export job, a clinic's patients page by page."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from diary.models import BulkExport, BulkExportStatus, CareLink, Role, User
from diary.selectors import clinics_of


def bulk_export_of(*, export_id, user: User) -> BulkExport:
    """The export this user asked for, while they are still a member of its clinic and it is neither
    cancelled nor expired; 404 for anyone else, so that no job or clinic is revealed."""
    export = (
        BulkExport.objects.filter(pk=export_id, requested_by=user, clinic__in=clinics_of(clinician=user))
        .exclude(status=BulkExportStatus.CANCELLED)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .select_related("clinic")
        .first()
    )
    if export is None:
        raise Http404
    return export


def clinic_links(*, clinic_id) -> QuerySet:
    """The clinic's own links with patients (not a member's personal link), one per patient."""
    return CareLink.objects.filter(clinic_id=clinic_id, patient__role=Role.PATIENT)


def clinic_links_page(*, clinic_id, after_patient_id=None, size: int) -> list[CareLink]:
    """The next `size` of the clinic's links in patient order, with their patients: an export walks the
    list a page at a time (keyset), never holding every patient at once."""
    links = clinic_links(clinic_id=clinic_id).select_related("patient").order_by("patient_id")
    if after_patient_id is not None:
        links = links.filter(patient_id__gt=after_patient_id)
    return list(links[:size])
