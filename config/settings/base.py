"""Settings shared by every environment; each reads the environment strictly (config.env)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config import static_files
from config.env import env_bool, env_int, env_list, env_proxies, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CRAMPWISE_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "diary.apps.CrampwiseAdminConfig",  # django.contrib.admin, with the site of diary.admin_site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "diary",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "diary.web.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "diary.web.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "diary.web.NoStoreApiMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "diary" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env(url: str | None) -> dict:
    """PostgreSQL from DATABASE_URL; otherwise a SQLite file shared by web, worker and beat."""
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "crampwise.sqlite3",
        "OPTIONS": {
            # Web, worker and beat write the same file: WAL lets readers and one writer
            # overlap, IMMEDIATE takes the write lock up front (no upgrade deadlocks),
            # and the timeout waits for a busy writer instead of failing at once.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_from_env(env_str("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A file cache is shared by every process on one machine, which the login throttle needs.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "diary.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

LANGUAGE_CODE = "en"
# The languages of diary.models.Language; catalogues in diary/locale (compiled .mo files are committed).
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The PWA's build (frontend/, `npm run build`): served at the site root by WhiteNoise.
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.exists() else None
WHITENOISE_ADD_HEADERS_FUNCTION = static_files.add_headers
WHITENOISE_IMMUTABLE_FILE_TEST = static_files.immutable_file
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A diary entry is a few hundred bytes; the largest body any endpoint needs is far below this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
CSRF_COOKIE_SAMESITE = "Lax"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Crampwise <no-reply@crampwise.localhost>")
# Where links in emails point (password reset); the PWA is served by this same app.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://localhost:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "diary.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "diary.api.pagination.DiaryPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["diary.api.renderers.OrjsonRenderer"],
    "DEFAULT_PARSER_CLASSES": ["diary.api.parsers.SafeJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "diary.api.negotiation.AnswersInJson",
    "DEFAULT_THROTTLE_CLASSES": ["diary.api.throttles.WriteRateThrottle"],
    # Per person; the public endpoints' limits per client address are diary.api.throttles.AddressRateThrottle.
    "DEFAULT_THROTTLE_RATES": {
        "writes": env_str("WRITE_RATE", "1200/hour"),
        # A clinic registering its patients shares one address: never below 30 an hour.
        "register": "60/hour",
        "password_reset": "10/hour",
    },
    "EXCEPTION_HANDLER": "diary.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # `format` is the exports' own parameter (json, csv), not DRF's renderer override.
    "URL_FORMAT_OVERRIDE": None,
}

# How often each web process adds the writes it let through to the shared write counters in Redis
# (diary/limits.py): one round trip per interval rather than one per write.
WRITE_COUNT_SYNC_SECONDS = float(env_str("WRITE_COUNT_SYNC_SECONDS", "1"))

# Tokens for API clients: hashed at rest, one per device, revoked at logout and password change.
TOKEN_TTL = timedelta(days=env_int("TOKEN_TTL_DAYS", 30))
REST_KNOX = {"TOKEN_TTL": TOKEN_TTL, "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}

# Who may say what the client's address is (diary.client_address.client_address, used by every limiter): the
# number of proxies in front of gunicorn, each appending to X-Forwarded-For ("1" behind one nginx), or
# their networks ("10.0.0.0/8"). 0, the default: no proxy, REMOTE_ADDR is the client. Wrong here, and
# either everyone shares the proxy's address or anyone can pick their own (README, deploy/).
TRUSTED_PROXY_COUNT, TRUSTED_PROXY_NETWORKS = env_proxies("TRUSTED_PROXIES", "0")

# Failed sign-ins per email (and per client address) before a 429, and the window they count in.
LOGIN_FAILURES_PER_EMAIL = env_int("LOGIN_FAILURES_PER_EMAIL", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 50)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# Clinicians must turn on two-factor sign-in before they see any patient's data (on in production).
REQUIRE_CLINICIAN_2FA = env_bool("REQUIRE_CLINICIAN_2FA", False)
# Staff must have two-factor sign-in on to sign in to the Django admin (on in production).
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", False)
# A clinician who belongs to no clinic may not redeem share codes (on in production): the clinic, which
# staff created and which invited them, is who a patient trusts. Off keeps independent clinicians possible
# (a small practice, `make run`); docs/decisions/0032-clinics.md.
CLINICIANS_MUST_BELONG_TO_A_CLINIC = env_bool("CLINICIANS_MUST_BELONG_TO_A_CLINIC", False)
# Wrong share codes a clinician may try in an hour (a code has ~48 bits; this stops guessing).
SHARE_REDEEM_FAILURES = env_int("SHARE_REDEEM_FAILURES", 10)

SPECTACULAR_SETTINGS = {
    "TITLE": "Crampwise API",
    "DESCRIPTION": (
        "A leg-cramp and venous-symptom diary. Times are ISO 8601 with offset; dates are the "
        "patient's local dates. Decision support, not a diagnosis."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from this app, not a CDN: works offline and under the content security policy.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "diary.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SideEnum": "diary.models.Side",
        "PressureClassEnum": "diary.models.PressureClass",
        "ChannelEnum": "diary.models.Channel",
        "RoleEnum": "diary.models.Role",
        "ClinicRoleEnum": "diary.models.ClinicRole",
        "CircumferenceSiteEnum": "diary.models.CircumferenceSite",
    },
}

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, which needs no
# server (docs/decisions/0003-broker-default.md).
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": 3600}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "store_processed": False,
    }
)
if not REDIS_URL:
    for folder in ("queue", "processed"):
        (VAR_DIR / "broker" / folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The one fixed schedule: reminders are rows with a next time (diary.services.reminders), and this
# tick, at the top of every minute, sends what is due.
# Writes mark a patient's clinician summary stale (a database trigger); a tick this often refreshes them.
SUMMARY_REFRESH_SECONDS = env_int("SUMMARY_REFRESH_SECONDS", 30)
CELERY_BEAT_SCHEDULE = {
    "dispatch-reminders": {
        "task": "diary.tasks.dispatch_reminders",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
    # The clinicians' list reads per-patient summaries: the ones writes marked stale, twice a minute...
    "refresh-stale-summaries": {
        "task": "diary.tasks.refresh_stale_summaries",
        "schedule": SUMMARY_REFRESH_SECONDS,
        "options": {"expires": SUMMARY_REFRESH_SECONDS},
    },
    # ...and all of them nightly, as their 28-day window moves.
    "refresh-summaries": {
        "task": "diary.tasks.refresh_all_summaries",
        "schedule": crontab(minute=30, hour=2),
    },
    # Bulk exports' files are kept a day (BULK_EXPORT_LIFETIME_HOURS); this deletes the expired ones.
    "purge-bulk-exports": {
        "task": "diary.tasks.purge_bulk_exports",
        "schedule": crontab(minute=15),
    },
}

# FHIR Bulk Data exports of a clinic (docs/decisions/0033-bulk-export.md): where their NDJSON files are
# written, and how long a finished export's files are kept before they are deleted.
BULK_EXPORT_ROOT = Path(env_str("BULK_EXPORT_ROOT", str(VAR_DIR / "bulk-exports")))
BULK_EXPORT_LIFETIME_HOURS = env_int("BULK_EXPORT_LIFETIME_HOURS", 24)

# Web Push (VAPID). `make run` writes development keys to var/vapid.env; production sets its own.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:reminders@crampwise.example.org")
# The hosts the server may post pushes to: the browsers' push services, and nothing else.
PUSH_ENDPOINT_HOSTS = env_list(
    "PUSH_ENDPOINT_HOSTS",
    [
        "fcm.googleapis.com",
        "push.services.mozilla.com",
        "notify.windows.com",
        "push.apple.com",
    ],
)
PUSH_ALLOW_HTTP = env_bool("PUSH_ALLOW_HTTP", False)
# A worker holds a delivery this long; a pending delivery untouched this long is queued again.
REMINDER_LEASE_SECONDS = env_int("REMINDER_LEASE_SECONDS", 120)
REMINDER_STALE_SECONDS = env_int("REMINDER_STALE_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # fontTools lists at INFO the glyphs it keeps when fpdf2 embeds a font in a PDF summary: the letters
    # of the patient's name, which must not reach the logs.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
