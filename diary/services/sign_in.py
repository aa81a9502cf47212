"""Checking who signs in: the password, then the second factor when it is on, every failure counted.

One path for every door (the API's session and token sign-in, the Django admin) so that staff meet
the same limits and the same second factor as everyone, and one for proving it is still you before
a change that cannot be undone (a new password, erasing the account).
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from diary.client_address import client_address
from diary.limits import FailureLimit
from diary.models import User
from diary.services import two_factor

LOGIN_FAILURES_BY_EMAIL = FailureLimit(
    "login-email",
    limit=settings.LOGIN_FAILURES_PER_EMAIL,
    window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
)
# Only failures count against an address: people who sign in right from it are never the ones locked out.
LOGIN_FAILURES_BY_ADDRESS = FailureLimit(
    "login-address",
    limit=settings.LOGIN_FAILURES_PER_ADDRESS,
    window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
    forget_on_success=False,
)
# Wrong current passwords (and codes) of someone already signed in: a stolen session guessing the
# password to change it or to erase the account.
REAUTH_FAILURES = FailureLimit(
    "reauth",
    limit=settings.LOGIN_FAILURES_PER_EMAIL,
    window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS,
)

# Lazy: worded when shown, in the language of whoever signs in (the API's answer, the admin's form).
WRONG_CREDENTIALS = gettext_lazy("The email or password is not right.")
CODE_NEEDED = gettext_lazy("Enter the 6-digit code from your authenticator app.")
WRONG_CODE = gettext_lazy("This code is not right or was used already. Try the next one.")
WRONG_PASSWORD = gettext_lazy("This is not your current password.")


class SignInRefused(Exception):
    """The credentials are not right; `field` is the one at fault ("detail" when not saying which)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _code_check(user: User, otp: str) -> None:
    try:
        two_factor.totp_verify(user=user, code=otp)
    except two_factor.InvalidCode as exc:
        raise SignInRefused("otp", WRONG_CODE) from exc


def sign_in_check(*, request: HttpRequest, email: str, password: str, otp: str | None = None) -> User:
    """The user these credentials belong to, or SignInRefused; Throttled (429) past either limit.

    Each attempt is counted before the password is looked at, so parallel guesses cannot slip past
    the limit; a right one is then taken back.
    """
    email, address = email.strip().lower(), client_address(request)
    LOGIN_FAILURES_BY_EMAIL.attempt(email)
    LOGIN_FAILURES_BY_ADDRESS.attempt(address)
    user = authenticate(request, email=email, password=password)
    if user is None:
        raise SignInRefused("detail", WRONG_CREDENTIALS)
    if user.totp_enabled and otp:
        _code_check(user, otp)  # a wrong code stays counted
    # The password (and the code, if one was given) was right; asking for the code is no failure.
    LOGIN_FAILURES_BY_EMAIL.succeeded(email)
    LOGIN_FAILURES_BY_ADDRESS.succeeded(address)
    if user.totp_enabled and not otp:
        raise SignInRefused("otp", CODE_NEEDED)
    return user


def identity_confirm(*, user: User, password: str | None, otp: str | None = None, need_code: bool) -> None:
    """Someone signed in proves it is still them: their password and, if `need_code` and two-factor is
    on, a code. SignInRefused naming the field at fault; Throttled past the limit."""
    key = str(user.pk)
    REAUTH_FAILURES.attempt(key)
    if not password or not user.check_password(password):
        raise SignInRefused("password", WRONG_PASSWORD)
    code_needed = need_code and user.totp_enabled
    if code_needed and otp:
        _code_check(user, otp)
    REAUTH_FAILURES.succeeded(key)
    if code_needed and not otp:
        raise SignInRefused("otp", CODE_NEEDED)
