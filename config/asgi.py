"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

# Production unless told otherwise (cookiecutter-django): a server started without the variable must
# not run with debug on and a development secret. `make run` sets config.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()
