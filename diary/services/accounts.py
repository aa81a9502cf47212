"""Accounts: registering, signing in and out, the profile, passwords, and erasing an account."""

import logging
from functools import reduce
from operator import or_
from types import EllipsisType

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import connection, models, transaction
from django.db.models.functions import Cast, Concat, Substr
from django.http import HttpRequest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.timezone import now
from django.utils.translation import gettext as _
from knox.models import AuthToken
from kombu.exceptions import KombuError
from rest_framework.exceptions import Throttled

from diary.emergency import country_from_timezone
from diary.language import speaking_to
from diary.limits import FailureLimit
from diary.models import CrampEpisode, Language, LoginSession, Role, User
from diary.services.records import records_rederive
from diary.services.reminders import reminders_reschedule
from diary.services.summaries import summary_mark_stale

log = logging.getLogger(__name__)
RESETS_BY_EMAIL = FailureLimit("reset-email", limit=3, window_seconds=60 * 60)

# Profile fields whose change re-derives stored entries: the night window, a definition, recounts which
# cramps were nocturnal (each in the zone it was lived in). The profile's zone is not one: a record keeps
# the zone it was logged in, and with it its local date and night (docs/decisions/0037).
DERIVATION_FIELDS = frozenset({"night_start", "night_end"})
# The screen colours and the language: nothing a rule reads depends on them.
PRESENTATION_FIELDS = frozenset({"theme", "language"})


def user_register(
    *,
    email: str,
    password: str,
    role: str,
    timezone: str,
    display_name: str = "",
    country: str | EllipsisType | None = ...,
    language: str = Language.ENGLISH,
) -> User:
    """A new account. A country left out (...) is guessed from the time zone; None is the patient's
    "not said". A patient starts not onboarded, so the PWA asks the first-run questions; a clinician has
    none to answer."""
    if country is ...:
        country = country_from_timezone(timezone)
    return User.objects.create_user(
        email=email,
        password=password,
        role=role,
        timezone=timezone,
        display_name=display_name,
        country=country,
        language=language,
        onboarded_at=None if role == Role.PATIENT else now(),
    )


def session_login(*, request: HttpRequest, user: User) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    LoginSession.objects.get_or_create(session_key=request.session.session_key, user=user)


def session_logout(*, request: HttpRequest) -> None:
    key = request.session.session_key
    logout(request)
    if key:
        LoginSession.objects.filter(session_key=key).delete()


def token_issue(*, user: User) -> tuple[AuthToken, str]:
    return AuthToken.objects.create(user=user, expiry=settings.TOKEN_TTL)


def token_revoke(*, token: AuthToken) -> None:
    token.delete()


def sign_out_everywhere(
    *, user: User, keep_session_key: str | None = None, keep_token: AuthToken | None = None
) -> None:
    """Revoke every token and end every session of the user (but the ones kept, if any)."""
    AuthToken.objects.filter(user=user).exclude(pk=keep_token.pk if keep_token else None).delete()
    keys = list(
        LoginSession.objects.filter(user=user)
        .exclude(session_key=keep_session_key or "")
        .values_list("session_key", flat=True)
    )
    Session.objects.filter(session_key__in=keys).delete()
    LoginSession.objects.filter(session_key__in=keys).delete()


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    """Save the profile's changed fields. `onboarded: True` marks the first-run questions finished or
    skipped, once: a second time keeps the first moment."""
    data = dict(data)
    onboarded = data.pop("onboarded", False)
    changed = {field for field, value in data.items() if getattr(user, field) != value}
    for field, value in data.items():
        setattr(user, field, value)
    if onboarded and user.onboarded_at is None:
        user.onboarded_at = now()
    user.save()
    profile_changed(user=user, changed_fields=changed)
    return user


@transaction.atomic
def profile_changed(*, user: User, changed_fields: set[str]) -> None:
    """What follows a saved change of these profile fields, whoever made it (the API, staff in the admin):
    cramps recounted as nocturnal or not in a new night window, reminders moved to a new zone, the
    clinician's summary recomputed. A new zone leaves the records where they were lived."""
    if changed_fields & DERIVATION_FIELDS:
        # The window decides only whether a cramp is nocturnal: no other kind's dates depend on it.
        records_rederive(patient=user, models=(CrampEpisode,))
    if "timezone" in changed_fields:
        reminders_reschedule(patient=user)
    if changed_fields - PRESENTATION_FIELDS:
        summary_mark_stale(patient_id=user.pk)


@transaction.atomic
def password_set(*, user: User, new_password: str, request: HttpRequest | None = None) -> None:
    """Set a new password and revoke every token and every other session."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    keep = None
    if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
        old_key = request.session.session_key
        update_session_auth_hash(request, user)  # gives the session a new key
        keep = request.session.session_key
        # The session stays listed under its new key, so that a later sign-out everywhere ends it too.
        LoginSession.objects.filter(session_key=old_key).update(session_key=keep)
    sign_out_everywhere(user=user, keep_session_key=keep)


def password_reset_request(*, email: str) -> None:
    """Queue the reset email once the request's work is committed. The request itself neither looks the
    address up nor talks to the mail server, so a known and an unknown address answer alike, in the
    same time, and a mail server that is down cannot make it fail."""
    from diary import tasks  # tasks call services: imported here, not at the top

    email = email.strip().lower()
    try:
        # Many addresses asking for one person's reset would fill their inbox: a few an hour are sent.
        RESETS_BY_EMAIL.attempt(email)
    except Throttled:
        log.info("password reset not queued: too many asked for one address this hour")
        return

    def queue():
        try:
            tasks.send_password_reset.delay(email)
        except (KombuError, OSError) as exc:  # the broker is down: the answer is the same; the log says why
            log.error("password reset email not queued: %s", type(exc).__name__)

    transaction.on_commit(queue)


def password_reset_send(*, email: str) -> None:
    """Email a reset link if an active account has this address; say nothing either way (the worker)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.PUBLIC_BASE_URL}/reset-password?uid={uid}&token={token}"
    with speaking_to(user):  # in the account's language, whoever asked
        subject = _("Reset your Crampwise password")
        body = "\n\n".join(
            [
                _("Someone asked to reset the password of your Crampwise account."),
                _("To choose a new password, open: %(link)s") % {"link": link},
                _("The link works once and expires in a few hours. If you did not ask, ignore this email."),
            ]
        )
    send_mail(
        subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[user.email]
    )


def _rows_going_with_a_user() -> dict[type[models.Model], list[str]]:
    """Every model whose rows are deleted with a user's row (a cascade to it, or to a row that is), with
    the lookups from the model to the user; found by walking the relations, so a new model is not missed."""
    found: dict[type[models.Model], list[str]] = {}
    # (a model, the lookup from it to the user, the models on the way: a cascade back to one ends there)
    to_walk: list[tuple[type[models.Model], str, tuple]] = [(User, "", (User,))]
    while to_walk:
        parent, path_to_user, on_the_way = to_walk.pop()
        for relation in parent._meta.get_fields(include_hidden=True):  # related_name="+" too
            is_reverse = relation.auto_created and not relation.concrete
            if not is_reverse or relation.on_delete is not models.CASCADE:
                continue
            model = relation.related_model
            # Entries made by the user go by cascade; many-to-many tables have no admin pages.
            if model is LogEntry or model._meta.auto_created or model in on_the_way:
                continue
            lookup = "__".join(filter(None, [relation.field.name, path_to_user]))
            found.setdefault(model, []).append(lookup)
            to_walk.append((model, lookup, (*on_the_way, model)))
    return found


def _primary_key_as_logged(model: type[models.Model]):
    """The row's primary key as text, as the admin's log writes it (str(pk))."""
    text = Cast("pk", output_field=models.TextField())
    key = model._meta.pk
    is_uuid = isinstance(key.target_field if key.is_relation else key, models.UUIDField)
    if is_uuid and not connection.features.has_native_uuid_field:
        # Stored as 32 hex digits (SQLite): put back the hyphens of str(uuid).
        spans, hyphen = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12)), models.Value("-")
        pieces = [part for start, length in spans for part in (Substr(text, start, length), hyphen)]
        return Concat(*pieces[:-1], output_field=models.TextField())
    return text


def _admin_log_erase(*, user: User) -> None:
    """Delete every admin log entry about the user's row or a row that goes with it (their email or
    record in `object_repr`, what staff changed in `change_message`): one DELETE, whatever their number."""
    owned = _rows_going_with_a_user()
    content_types = ContentType.objects.get_for_models(User, *owned)
    about = models.Q(content_type=content_types[User], object_id=str(user.pk))
    for model, lookups in owned.items():
        rows = model._base_manager.filter(reduce(or_, (models.Q(**{lookup: user}) for lookup in lookups)))
        about |= models.Q(
            content_type=content_types[model],
            object_id__in=rows.values(logged_id=_primary_key_as_logged(model)),
        )
    LogEntry.objects.filter(about).delete()


@transaction.atomic
def account_delete(*, user: User, request: HttpRequest | None = None) -> None:
    """Erase the account and everything about it: diary rows, links, codes, tokens, sessions and the
    access log about the patient all go with the user row (cascades), sessions explicitly, and the
    admin's log entries about any of them first, while the rows they name are still there to find."""
    _admin_log_erase(user=user)
    sign_out_everywhere(user=user)
    if request is not None:
        logout(request)
    user.delete()
