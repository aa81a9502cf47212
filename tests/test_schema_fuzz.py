"""Bad input from our own OpenAPI schema (schemathesis): never a 5xx, always the documented shape."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
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


def fuzz_every_operation(user, *, examples: int = EXAMPLES) -> None:
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
