"""Production settings: every secret and host comes from the environment, and a missing one stops start-up."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_required

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
env_required("DATABASE_URL")
# Every limiter keys on the client's address, which behind a proxy only the proxy can tell: left unset,
# either everyone would share the proxy's address or anyone could choose their own. Say which (README).
env_required("TRUSTED_PROXIES")
if VAPID_PRIVATE_KEY:  # noqa: F405
    # Push services reject a VAPID subject that is not a real contact.
    VAPID_SUBJECT = env_required("VAPID_SUBJECT")

REQUIRE_CLINICIAN_2FA = env_bool("REQUIRE_CLINICIAN_2FA", True)
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", True)
CLINICIANS_MUST_BELONG_TO_A_CLINIC = env_bool("CLINICIANS_MUST_BELONG_TO_A_CLINIC", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
