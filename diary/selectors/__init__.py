"""Reads: what each person may see of the diary, in a fixed number of queries."""

from datetime import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404

from diary.models import (
    AccessLogEntry,
    CareLink,
    Clinic,
    ClinicMembership,
    DiaryRecord,
    PatientSummary,
    Role,
    UrgentAlert,
    User,
)


def records_of(
    model: type[DiaryRecord],
    *,
    patient: User,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet:
    """A patient's records of one kind, newest first, optionally bounded on the record's time.

    A kind timed by a local date (a medication's started_on) is bounded by the patient's local dates
    of `since` and `until`. A record's own foreign keys (a factor entry's factor) come in the same query.
    """
    time = model._meta.get_field(model.TIME_FIELD)
    if not isinstance(time, DateTimeField):
        since = since and since.astimezone(patient.zone).date()
        until = until and until.astimezone(patient.zone).date()
    queryset = model.objects.filter(patient=patient)
    related = [f.name for f in model._meta.fields if f.many_to_one and f.name != "patient"]
    if related:
        queryset = queryset.select_related(*related)
    if since is not None:
        queryset = queryset.filter(**{f"{model.TIME_FIELD}__gte": since})
    if until is not None:
        queryset = queryset.filter(**{f"{model.TIME_FIELD}__lte": until})
    return queryset.order_by(f"-{model.TIME_FIELD}", "-created_at")


def clinics_of(*, clinician: User) -> QuerySet:
    """The ids of the clinics the clinician belongs to, as a subquery: asked afresh on every request, so
    that a member removed a moment ago has no access now."""
    return ClinicMembership.objects.filter(user=clinician).values("clinic_id")


def readable_links(*, clinician: User) -> QuerySet:
    """The links a clinician reads through: their own, and those of every clinic they belong to."""
    return CareLink.objects.filter(Q(clinician=clinician) | Q(clinic__in=clinics_of(clinician=clinician)))


def links_read_through(*, clinician: User, patient) -> QuerySet:
    """The clinician's links to the patient (a User, or an OuterRef), the one a read goes through first:
    their own, then the oldest of their clinics'; its clinic is what the access log and the list name."""
    return (
        readable_links(clinician=clinician)
        .filter(patient=patient)
        .order_by(F("clinic_id").asc(nulls_first=True), "created_at")
    )


def _access_link(*, clinician: User) -> QuerySet:
    return links_read_through(clinician=clinician, patient=OuterRef("pk"))


def _with_access_link(patients: QuerySet, *, clinician: User) -> QuerySet:
    link = _access_link(clinician=clinician)
    return patients.annotate(
        link_id=Subquery(link.values("id")[:1]),
        clinic_reference=Subquery(link.values("clinic_reference")[:1]),
        access_clinic_id=Subquery(link.values("clinic_id")[:1]),
        access_clinic_name=Subquery(link.values("clinic__name")[:1]),
        assigned_to_id=Subquery(link.values("assigned_to_id")[:1]),
        assigned_to_name=Subquery(
            link.annotate(
                name=Coalesce(
                    NullIf("assigned_to__display_name", Value("")),
                    "assigned_to__email",
                    output_field=CharField(),
                )
            ).values("name")[:1]
        ),
    )


def linked_patient(*, clinician: User, patient_id) -> User:
    """The patient if they share with this clinician or with a clinic of theirs; 404 otherwise, so
    nothing is revealed. Carries the clinic the read goes through (`access_clinic_id`, for the log)."""
    patient = _with_access_link(
        linked_patients(clinician=clinician).filter(pk=patient_id), clinician=clinician
    ).first()
    if patient is None:
        raise Http404
    return patient


def links_of(*, user: User) -> QuerySet:
    """A patient's links; a clinician's own links and their clinics' links."""
    links = CareLink.objects.filter(patient=user) if user.is_patient else readable_links(clinician=user)
    # The members of each clinic linked (the link's `people`): one more query for all the links together.
    members = ClinicMembership.objects.select_related("user").order_by(
        "role", "user__display_name", "user__email"
    )
    return (
        links.select_related("patient", "clinician", "clinic", "assigned_to")
        .prefetch_related(Prefetch("clinic__memberships", queryset=members))
        .order_by("-created_at")
    )


def clinic_reference(*, patient: User, clinician: User) -> str | None:
    """The clinic's own number for the patient, from the link the clinician reads through; None when none
    was set."""
    return (
        links_read_through(clinician=clinician, patient=patient)
        .values_list("clinic_reference", flat=True)
        .first()
    )


def access_log_of(*, patient: User) -> QuerySet:
    return AccessLogEntry.objects.filter(patient=patient).order_by("-at", "-id")


def linked_patients(*, clinician: User) -> QuerySet:
    """Patients who share with the clinician or with one of their clinics, each once."""
    return User.objects.filter(role="patient", pk__in=readable_links(clinician=clinician).values("patient"))


def open_alerts_of(*, clinician: User) -> QuerySet:
    """The open alerts a clinician sees in the list's count: their own, and their clinics' about patients
    who still share with that clinic."""
    clinic_link = CareLink.objects.filter(patient=OuterRef("patient_id"), clinic=OuterRef("clinic_id"))
    return UrgentAlert.objects.filter(reviewed_at__isnull=True).filter(
        Q(clinician=clinician) | (Q(clinic__in=clinics_of(clinician=clinician)) & Q(Exists(clinic_link)))
    )


def clinician_patients(*, clinician: User, search: str = "", assigned_to_me: bool = False) -> QuerySet:
    """Linked patients with their summaries, the link read through (its id, clinic reference, clinic and
    assignee, the list's label), and the open alerts this clinician sees about them, in one query:
    patients with an open alert first, then urgent, advice, info, none; within a level the most recent
    evidence first (the latest entry for patients without insights). `assigned_to_me`: only patients a
    clinic of theirs has assigned to them."""
    open_alerts = (
        open_alerts_of(clinician=clinician)
        .filter(patient=OuterRef("pk"))
        .order_by()
        .values("patient")
        .annotate(count=Count("id"))
        .values("count")
    )
    patients = linked_patients(clinician=clinician)
    if assigned_to_me:
        mine = readable_links(clinician=clinician).filter(patient=OuterRef("pk"), assigned_to=clinician)
        patients = patients.filter(Exists(mine))
    patients = _with_access_link(patients.select_related("summary"), clinician=clinician).annotate(
        open_alerts=Coalesce(Subquery(open_alerts, output_field=IntegerField()), 0)
    )
    if search:
        patients = patients.filter(Q(display_name__icontains=search) | Q(email__icontains=search))
    return patients.order_by(
        Case(When(open_alerts__gt=0, then=0), default=1),
        F("summary__level_rank").desc(nulls_last=True),
        F("summary__last_evidence_at").desc(nulls_last=True),
        F("summary__last_entry_at").desc(nulls_last=True),
        "display_name",
        "email",
    )


def stale_summary_patient_ids() -> list:
    """The patients whose clinician summary a write has marked stale since it was last computed, and
    those who have none yet (a write marks no row that does not exist)."""
    # No index on `stale`: it would make every stale mark a non-HOT update, on the write path, to spare
    # a scan of one small row per patient twice a minute.
    stale = PatientSummary.objects.filter(stale=True).values_list("patient_id", flat=True)
    # The clinician's list recomputes only the rows it shows: without this, a patient with no summary
    # on a later page of it would wait for the nightly refresh, sorted last.
    missing = User.objects.filter(role=Role.PATIENT, summary__isnull=True).values_list("pk", flat=True)
    return [*stale, *missing]


# --- Clinics -----------------------------------------------------------------------------------


def clinic_memberships_of(*, user: User) -> QuerySet:
    return ClinicMembership.objects.filter(user=user).select_related("clinic").order_by("clinic__name", "pk")


def membership_in(*, clinic_id, user: User) -> ClinicMembership:
    """The user's membership of this clinic; 404 for anyone else, so a clinic's existence is not told."""
    membership = ClinicMembership.objects.filter(clinic_id=clinic_id, user=user).select_related("clinic")
    found = membership.first()
    if found is None:
        raise Http404
    return found


def members_of(*, clinic: Clinic) -> QuerySet:
    return clinic.memberships.select_related("user").order_by("role", "user__display_name", "user__email")


def clinic_link(*, clinic: Clinic, link_id) -> CareLink:
    """One of the clinic's links; 404 for any other."""
    link = CareLink.objects.filter(pk=link_id, clinic=clinic).select_related("clinic").first()
    if link is None:
        raise Http404
    return link


def pending_invites_of(*, clinic: Clinic, now: datetime) -> QuerySet:
    """The clinic's invitations not yet accepted nor expired, newest first, with who sent each."""
    return (
        clinic.invites.filter(accepted_at__isnull=True, expires_at__gt=now)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def pending_invite(*, clinic: Clinic, invite_id, now: datetime):
    """One of the clinic's pending invitations; 404 for any other (used, expired, another clinic's)."""
    invite = pending_invites_of(clinic=clinic, now=now).filter(pk=invite_id).first()
    if invite is None:
        raise Http404
    return invite


def invite_addressed_to(*, user: User, digest: str):
    """The invitation with this token's digest, if it was sent to this user's address; else 404, which
    tells someone else neither the clinic nor that the token exists."""
    from diary.models import ClinicInvite  # the import list above is shared; this is the one reader

    invite = ClinicInvite.objects.filter(digest=digest).select_related("clinic").first()
    if invite is None or invite.email.lower() != user.email.lower():
        raise Http404
    return invite
