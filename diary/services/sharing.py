"""Sharing a diary with a clinician or a clinic: one-time codes, links, revocation and the access log."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from diary.models import AccessLogEntry, CareLink, Clinic, ClinicMembership, Role, ShareCode, User

# No 0/O, 1/I/L or 2/Z look-alikes: a code is read aloud or copied from a phone screen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXY3456789"
CODE_LENGTH = 10
CODE_LIFETIME = timedelta(hours=24)


class InvalidShareCode(Exception):
    """The code is unknown, already used or expired (one message for all three)."""


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_digest(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def share_code_create(*, patient: User) -> tuple[ShareCode, str]:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    share_code = ShareCode.objects.create(
        patient=patient, digest=code_digest(code), expires_at=timezone.now() + CODE_LIFETIME
    )
    return share_code, code


@transaction.atomic
def share_code_redeem(*, clinician: User, code: str, clinic: Clinic | None = None) -> CareLink:
    """The code's patient now shares with the clinician, or with `clinic` (one of theirs: the view checks)."""
    now = timezone.now()
    # Claim atomically: of two clinicians racing for one code, only one update succeeds.
    claimed = ShareCode.objects.filter(
        digest=code_digest(code), redeemed_at__isnull=True, expires_at__gt=now
    ).update(redeemed_at=now, redeemed_by=clinician)
    if not claimed:
        raise InvalidShareCode
    share_code = ShareCode.objects.select_related("patient").get(digest=code_digest(code))
    if clinic is not None:
        link, _ = CareLink.objects.get_or_create(patient=share_code.patient, clinic=clinic)
    else:
        link, _ = CareLink.objects.get_or_create(patient=share_code.patient, clinician=clinician)
    return link


def link_revoke(*, link: CareLink) -> None:
    link.delete()


class NotAMember(Exception):
    """The clinician to assign is not a member of the link's clinic (or the link is with one clinician)."""


def link_assign(*, link: CareLink, assigned_to_id) -> CareLink:
    """Assign a clinic link's patient to one member of that clinic (any member may: the view checks that
    the caller reads through the link), or to nobody with None."""
    if assigned_to_id is not None:
        member = ClinicMembership.objects.filter(
            clinic_id=link.clinic_id, user_id=assigned_to_id, user__role=Role.CLINICIAN
        ).select_related("user")
        found = member.first() if link.clinic_id is not None else None
        if found is None:
            raise NotAMember
        link.assigned_to = found.user
    else:
        link.assigned_to = None
    link.save(update_fields=["assigned_to"])
    return link


def link_clinic_reference_set(*, link: CareLink, clinic_reference: str | None) -> CareLink:
    """The clinic's own number for the patient, set by the link's clinician; "" or None clears it."""
    link.clinic_reference = (clinic_reference or "").strip() or None
    link.save(update_fields=["clinic_reference"])
    return link


# A list the clinician searches as they type, or opens again and again before a clinic, is one sight of
# each patient in the hour, not dozens of rows that bury the reads that matter in the patient's log.
LIST_READ_COALESCE = timedelta(hours=1)


def _read_through(*, patient: User, clinician: User) -> tuple:
    """(clinic id, clinic name) of the link this read goes through; (None, "") for the clinician's own.
    A patient from the selectors carries it already; any other costs one query."""
    if hasattr(patient, "access_clinic_id"):
        return patient.access_clinic_id, patient.access_clinic_name or ""
    from diary.selectors import links_read_through  # selectors read what services write: kept one way

    link = (
        links_read_through(clinician=clinician, patient=patient)
        .values_list("clinic_id", "clinic__name")
        .first()
    )
    return (link[0], link[1] or "") if link else (None, "")


def _entry(*, patient_id, clinician: User, action: str, clinic_id, clinic_name: str | None) -> AccessLogEntry:
    """One access-log row: the reader named as they are now, and the clinic the read went through (None:
    the clinician's own link)."""
    return AccessLogEntry(
        patient_id=patient_id,
        clinician=clinician,
        clinician_name=clinician.name,
        clinic_id=clinic_id,
        clinic_name=clinic_name or "",
        action=action,
    )


def list_read_since() -> datetime:
    """A list read of a patient logged since this time is not logged again."""
    return timezone.now() - LIST_READ_COALESCE


def access_log_write_many(*, reads: Iterable[tuple], clinician: User, action: str, seen: set) -> None:
    """One access-log row per (patient id, clinic id, clinic name) read, in one insert: a list read shows
    each patient's summary, through the clinic named (None: the clinician's own link). The patients in
    `seen`, whose read this clinician's log already has since list_read_since() (the list's statement
    asks), are not logged again."""
    new = [
        _entry(
            patient_id=patient_id, clinician=clinician, action=action, clinic_id=clinic_id, clinic_name=name
        )
        for patient_id, clinic_id, name in reads
        if patient_id not in seen
    ]
    if new:  # an empty bulk_create still opens and commits a transaction
        AccessLogEntry.objects.bulk_create(new)


def access_log_write(
    *, patient: User, clinician: User, action: str, clinic: Clinic | None = None
) -> AccessLogEntry:
    """One read, naming the reader and the clinic whose link it went through (if any), or `clinic` when
    the act was the clinic's (a review of its alert)."""
    if clinic is not None:
        clinic_id, clinic_name = clinic.pk, clinic.name
    else:
        clinic_id, clinic_name = _read_through(patient=patient, clinician=clinician)
    entry = _entry(
        patient_id=patient.pk,
        clinician=clinician,
        action=action,
        clinic_id=clinic_id,
        clinic_name=clinic_name,
    )
    entry.save()
    return entry
