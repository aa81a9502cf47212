"""Clinics: inviting members by email, accepting, removing them, changing roles, and ending links."""

import hashlib
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError

from diary.language import speaking_to
from diary.models import (
    AccessLogEntry,
    CareLink,
    Clinic,
    ClinicInvite,
    ClinicMembership,
    ClinicRole,
    Role,
    User,
)

log = logging.getLogger(__name__)

INVITE_LIFETIME = timedelta(days=7)
# What the patient's access log says when sharing with a clinic ends without them (at most 64 characters).
CLINIC_ENDED_LINK = "ended sharing: the clinic no longer sees your diary"
CLINIC_CLOSED = "the clinic was closed: sharing with it ended"


class ClinicRefused(Exception):
    """A clinic action refused for a reason the person can act on; `field` names what to change."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _invite_token(invite_id: uuid.UUID) -> str:
    # Derived from the invite's id and the secret key, so that the worker can put it in the email without
    # the token ever being stored or passed through the broker; only its digest is kept.
    return salted_hmac("crampwise.clinic-invite", str(invite_id)).hexdigest()


def invite_digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


def _locked(clinic: Clinic) -> Clinic:
    # One change of a clinic's members at a time: two admins demoting each other at once cannot both
    # pass the last-admin check.
    return Clinic.objects.select_for_update().get(pk=clinic.pk)


def _admin_count(clinic: Clinic) -> int:
    return ClinicMembership.objects.filter(clinic=clinic, role=ClinicRole.ADMIN).count()


def clinic_invite(*, clinic: Clinic, invited_by: User, email: str, role: str) -> ClinicInvite:
    """Invite an address to the clinic (by an admin: the view checks); the email with its one-time link
    is queued once the invite is committed."""
    from diary import tasks  # tasks call services: imported here, not at the top

    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and existing.role == Role.PATIENT:
        raise ClinicRefused(
            "email", _("This address belongs to a patient account; invite a clinician's address.")
        )
    if existing is not None and ClinicMembership.objects.filter(clinic=clinic, user=existing).exists():
        raise ClinicRefused("email", _("This clinician is already a member of the clinic."))
    invite = ClinicInvite(
        id=uuid.uuid4(),
        clinic=clinic,
        email=email,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + INVITE_LIFETIME,
    )
    invite.digest = invite_digest(_invite_token(invite.id))
    invite.save()

    def queue():
        try:
            tasks.send_clinic_invite.delay(str(invite.id))
        except (KombuError, OSError) as exc:  # the broker is down: the invite stands; the admin may resend
            log.error("clinic invite email not queued: %s", type(exc).__name__)

    transaction.on_commit(queue)
    return invite


def clinic_invite_send(*, invite_id) -> None:
    """Email the invite's one-time link (the worker); an invite already used or expired is not sent."""
    invite = (
        ClinicInvite.objects.filter(pk=invite_id, accepted_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("clinic", "invited_by")
        .first()
    )
    if invite is None:
        return
    link = f"{settings.PUBLIC_BASE_URL}/clinic-invite?token={_invite_token(invite.id)}"
    # In the invitee's own language if the address has an account; else the inviter's, the best guess
    # at what a colleague of theirs reads (English when neither is known).
    invitee = User.objects.filter(email__iexact=invite.email).first()
    clinic = invite.clinic.name
    with speaking_to(invitee or invite.invited_by):
        inviter = invite.invited_by.name if invite.invited_by else _("An administrator")
        subject = _("Join %(clinic)s on Crampwise") % {"clinic": clinic}
        body = "\n\n".join(
            [
                _(
                    "%(inviter)s invited you to join %(clinic)s on Crampwise, to see the diaries patients "
                    "share with the clinic."
                )
                % {"inviter": inviter, "clinic": clinic},
                _("Sign in with this address as a clinician, then open: %(link)s") % {"link": link},
                _(
                    "The link works once and expires in 7 days. If you did not expect this, ignore this "
                    "email."
                ),
            ]
        )
    send_mail(
        subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[invite.email]
    )


def _unusable() -> ClinicRefused:
    return ClinicRefused(
        "token", _("This invitation is unknown, already used or expired. Ask for a new one.")
    )


def invite_refusal(invite: ClinicInvite, *, now) -> ClinicRefused | None:
    """Why an invitation cannot be accepted any more (used or expired), or None while it can."""
    if invite.accepted_at is not None or invite.expires_at <= now:
        return _unusable()
    return None


def clinic_invite_cancel(*, invite: ClinicInvite) -> None:
    """An admin cancels a pending invitation: the row goes, so its token is then unknown (a 400 on
    accept, like a used one); the email already sent cannot be recalled."""
    invite.delete()


@transaction.atomic
def clinic_invite_accept(*, user: User, token: str) -> ClinicMembership:
    """The signed-in clinician whose address was invited joins the clinic; the invite is then used."""
    refused = _unusable()
    invite = ClinicInvite.objects.filter(digest=invite_digest(token)).select_related("clinic").first()
    if invite is None:
        raise refused
    if invite.email.lower() != user.email.lower():
        # Checked before the claim: a wrong account does not use up someone else's invite.
        raise ClinicRefused(
            "token", _("This invitation is for another email address. Sign in with that one.")
        )
    now = timezone.now()
    # Claimed atomically: an invite opened twice at once is accepted once.
    claimed = ClinicInvite.objects.filter(pk=invite.pk, accepted_at__isnull=True, expires_at__gt=now).update(
        accepted_at=now, accepted_by=user
    )
    if not claimed:
        raise refused
    # Someone already a member keeps their role: an invite as clinician never demotes an admin.
    membership, _created = ClinicMembership.objects.get_or_create(
        clinic=invite.clinic, user=user, defaults={"role": invite.role}
    )
    return membership


@transaction.atomic
def clinic_member_remove(*, membership: ClinicMembership) -> None:
    """Remove a member: their access to the clinic's patients ends with this row (read on every request),
    and the clinic's patients assigned to them are nobody's until another member takes them."""
    _locked(membership.clinic)
    if membership.role == ClinicRole.ADMIN and _admin_count(membership.clinic) <= 1:
        raise ClinicRefused(
            "user", _("The clinic's last admin cannot leave. Make another member admin first.")
        )
    CareLink.objects.filter(clinic_id=membership.clinic_id, assigned_to_id=membership.user_id).update(
        assigned_to=None
    )
    membership.delete()


@transaction.atomic
def clinic_member_role_set(*, membership: ClinicMembership, role: str) -> ClinicMembership:
    _locked(membership.clinic)
    membership.refresh_from_db(fields=["role"])
    if (
        membership.role == ClinicRole.ADMIN
        and role != ClinicRole.ADMIN
        and _admin_count(membership.clinic) <= 1
    ):
        raise ClinicRefused(
            "role", _("The clinic's last admin cannot be made a clinician. Make another admin first.")
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def _tell_patient(*, link: CareLink, by: User | None, by_name: str, action: str) -> AccessLogEntry:
    # The patient's access log is what they are shown of who did what with their diary (Sharing, in the
    # PWA): the end of a link they did not revoke is written there.
    return AccessLogEntry(
        patient_id=link.patient_id,
        clinician=by,
        clinician_name=by_name,
        clinic_id=link.clinic_id,
        clinic_name=link.clinic.name if link.clinic else "",
        action=action,
    )


@transaction.atomic
def clinic_link_end(*, link: CareLink, by: User) -> None:
    """A clinic's admin ends a patient's link with the clinic; the patient's access log says so."""
    _tell_patient(link=link, by=by, by_name=by.name, action=CLINIC_ENDED_LINK).save()
    link.delete()


@transaction.atomic
def clinic_delete(*, clinic: Clinic, staff: User | None) -> None:
    """Staff close a clinic: its links end (each patient's access log says so), its members and invites
    go; the access log's earlier rows stay, still naming the clinic."""
    links = list(CareLink.objects.filter(clinic=clinic).select_related("clinic"))
    AccessLogEntry.objects.bulk_create(
        _tell_patient(
            link=link, by=staff, by_name=staff.name if staff else "Crampwise staff", action=CLINIC_CLOSED
        )
        for link in links
    )
    clinic.delete()
