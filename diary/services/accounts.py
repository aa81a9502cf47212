"""Accounts: registering, signing in and out, the profile, passwords, and erasing an account."""

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken

from diary.models import LoginSession, User
from diary.services.records import records_rederive
from diary.services.reminders import reminders_reschedule
from diary.services.summaries import summary_mark_stale

# Profile fields whose change moves entries to other local dates or nights.
DERIVATION_FIELDS = frozenset({"timezone", "night_start", "night_end"})


def user_register(*, email: str, password: str, role: str, timezone: str, display_name: str = "") -> User:
    return User.objects.create_user(
        email=email, password=password, role=role, timezone=timezone, display_name=display_name
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


def sign_out_everywhere(*, user: User, keep_session_key: str | None = None) -> None:
    """Revoke every token and end every session of the user (but the one kept, if any)."""
    AuthToken.objects.filter(user=user).delete()
    keys = list(
        LoginSession.objects.filter(user=user)
        .exclude(session_key=keep_session_key or "")
        .values_list("session_key", flat=True)
    )
    Session.objects.filter(session_key__in=keys).delete()
    LoginSession.objects.filter(session_key__in=keys).delete()


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    changed = {field for field, value in data.items() if getattr(user, field) != value}
    for field, value in data.items():
        setattr(user, field, value)
    user.save()
    if changed & DERIVATION_FIELDS:
        records_rederive(patient=user)
    if "timezone" in changed:
        reminders_reschedule(patient=user)
    if changed:
        summary_mark_stale(patient_id=user.pk)
    return user


@transaction.atomic
def password_set(*, user: User, new_password: str, request: HttpRequest | None = None) -> None:
    """Set a new password and revoke every token and every other session."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    keep = None
    if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
        keep = request.session.session_key
    sign_out_everywhere(user=user, keep_session_key=keep)


def password_reset_send(*, email: str) -> None:
    """Email a reset link if an active account has this address; say nothing either way."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.PUBLIC_BASE_URL}/reset-password?uid={uid}&token={token}"
    send_mail(
        subject="Reset your Crampwise password",
        message=(
            "Someone asked to reset the password of your Crampwise account.\n\n"
            f"To choose a new password, open: {link}\n\n"
            "The link works once and expires in a few hours. If you did not ask, ignore this email."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@transaction.atomic
def account_delete(*, user: User, request: HttpRequest | None = None) -> None:
    """Erase the account and everything about it: diary rows, links, codes, tokens, sessions and the
    access log about the patient all go with the user row (cascades), sessions explicitly."""
    sign_out_everywhere(user=user)
    if request is not None:
        logout(request)
    user.delete()
