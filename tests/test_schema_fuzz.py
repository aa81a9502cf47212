"""Bad input from our own OpenAPI schema (schemathesis): never a 5xx, always the documented shape."""

import contextlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.django_db

# Ending the token or the account under test would turn every later example into a 401.
SELF_ENDING = {("DELETE", "/api/v1/account/"), ("POST", "/api/v1/auth/logout/")}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
# A bounded run for the suite; bench/fuzz.py runs many more examples.
EXAMPLES = 6


@contextlib.contextmanager
def connections_kept_open():
    """Django's WSGI handler closes the database connection around each request, which would end the
    test's transaction; the test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz_every_operation(user, *, examples: int = EXAMPLES) -> None:
    with connections_kept_open():
        fuzz_operations(user, examples=examples)


def fuzz_operations(user, *, examples: int) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    token = f"Token {AuthToken.objects.create(user=user)[1]}"
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SELF_ENDING:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
        )
        def check(case):
            case.call_and_validate(headers={"Authorization": token}, checks=CHECKS)

        check()


def test_no_input_from_a_patient_makes_a_server_error_or_breaks_the_schema(alice, bob):
    fuzz_every_operation(alice)


def test_no_input_from_a_clinician_makes_a_server_error_or_breaks_the_schema(alice, bob):
    fuzz_every_operation(bob)
