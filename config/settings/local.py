"""Settings for `make run` on a developer's machine: debug on, console email, SQLite unless DATABASE_URL."""

from .base import *  # noqa: F403

DEBUG = True
