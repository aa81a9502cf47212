"""Settings for pytest: fast hashing, in-memory cache and mail; the database comes from DATABASE_URL."""

from config.env import env_str

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# The tests' fake push service listens on loopback, over plain HTTP.
PUSH_ENDPOINT_HOSTS = [*PUSH_ENDPOINT_HOSTS, "127.0.0.1"]  # noqa: F405
PUSH_ALLOW_HTTP = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = False
# A key pair for the tests only (never used anywhere else): the fake push service checks its signatures.
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "196nlFuqbyXfUQ2c9jrZmhno1eMa2yx2Y2o9sQFgkCs")
VAPID_PUBLIC_KEY = env_str(
    "VAPID_PUBLIC_KEY",
    "BPBbNhL0T6TUVKoazgb5YiwEdJWPO6HpHPH5YYhLav7btofxrRjQ9bdUzvQjVM9vaFM2HcGZ1qGrxKZxAARdFFg",
)
VAPID_SUBJECT = "mailto:tests@crampwise.example.org"
# Tasks queued by the code under test go nowhere unless a test runs a worker on Redis (REDIS_URL).
if not REDIS_URL:  # noqa: F405
    CELERY_BROKER_URL = "memory://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
