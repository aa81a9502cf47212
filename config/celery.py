"""The Celery app: settings under the CELERY_ namespace, tasks discovered in installed apps."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("crampwise")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
