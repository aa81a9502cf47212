"""Two-factor sign-in with a time-based one-time code (TOTP, RFC 6238), through pyotp."""

import pyotp
from django.db import transaction
from django.utils import timezone

from diary.models import User
from diary.services.accounts import sign_out_everywhere

ISSUER = "Crampwise"
# One step either side: a phone's clock may be up to 30 seconds off.
VALID_WINDOW = 1


class InvalidCode(Exception):
    """The code is wrong, too old, or was used already."""


def totp_setup(*, user: User) -> tuple[str, str]:
    """A new secret, not active until confirmed with a code. Returns (secret, otpauth:// URI for a QR)."""
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_enabled, user.totp_last_step = secret, False, None
    user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_step"])
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return secret, uri


@transaction.atomic
def totp_verify(*, user: User, code: str) -> None:
    """Accept a code once: the step it matched is stored, and that step or an earlier one is refused."""
    user = User.objects.select_for_update().get(pk=user.pk)
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now()
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not user.totp_secret or len(code) != totp.digits:
        raise InvalidCode
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        moment = now.timestamp() + offset * totp.interval
        if totp.verify(code, for_time=moment, valid_window=0):
            step = int(moment // totp.interval)
            if user.totp_last_step is not None and step <= user.totp_last_step:
                break  # replayed: this code (or a later one) was used already
            User.objects.filter(pk=user.pk).update(totp_last_step=step)
            return
    raise InvalidCode


def totp_confirm(*, user: User, code: str, keep_session_key: str | None = None, keep_token=None) -> None:
    """Turn it on; every session and token made before it ends (they were opened with a password
    alone), but the one the person is using now."""
    totp_verify(user=user, code=code)
    User.objects.filter(pk=user.pk).update(totp_enabled=True)
    user.totp_enabled = True
    sign_out_everywhere(user=user, keep_session_key=keep_session_key, keep_token=keep_token)


def totp_disable(*, user: User, code: str) -> None:
    """Turning it off needs a valid code: a stolen session alone cannot remove the second factor."""
    totp_verify(user=user, code=code)
    User.objects.filter(pk=user.pk).update(totp_enabled=False, totp_secret="", totp_last_step=None)
    user.totp_enabled, user.totp_secret = False, ""


def two_factor_reset(*, user: User) -> None:
    """Staff turn it off for someone who lost their authenticator; every session and token ends too."""
    User.objects.filter(pk=user.pk).update(totp_enabled=False, totp_secret="", totp_last_step=None)
    sign_out_everywhere(user=user)
