"""Fault scripts: a killed web worker, restarted Redis and PostgreSQL, a killed Celery worker."""
