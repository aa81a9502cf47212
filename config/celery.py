"""The Celery app: settings under the CELERY_ namespace, tasks discovered in installed apps."""

import logging
import os

from celery import Celery, signals

# Production unless told otherwise (cookiecutter-django): a server started without the variable must
# not run with debug on and a development secret. `make run` sets config.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("crampwise")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def broker_description() -> str:
    from django.conf import settings

    if settings.REDIS_URL:
        return "Redis (REDIS_URL)"
    return (
        "the embedded filesystem broker in var/broker (no REDIS_URL set): fine on one machine, "
        "use Redis in production"
    )


@signals.worker_init.connect
@signals.beat_init.connect
def say_which_broker(**kwargs):
    logging.getLogger("crampwise").warning("Celery broker: %s", broker_description())
