"""The registry of record kinds: it lists every record model, everything derives from it, and the system
check finds a kind's table without its summary trigger."""

import ast
import dataclasses
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from diary import checks, kinds
from diary.kinds import KINDS, by_model, by_segment
from diary.kinds.triggers import drop_statements, summary_triggers_operation
from diary.models import DIARY_MODELS, Hydration

DIARY = Path(__file__).resolve().parent.parent / "diary"


def segment_of(kind) -> str:
    return kind.segment


def test_the_registry_lists_every_record_model_once_in_the_models_order():
    assert tuple(kind.model for kind in KINDS) == DIARY_MODELS
    assert checks.kinds_match_models() == []


def test_the_check_names_a_record_model_without_a_kind(monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", KINDS[:-1])
    assert [error.id for error in checks.kinds_match_models()] == ["diary.E001"]


def test_the_check_names_a_fhir_field_the_model_does_not_have(monkeypatch):
    broken = dataclasses.replace(by_model(Hydration), fhir_fields=("id", "taken_at", "volume_l"))
    monkeypatch.setattr(kinds, "KINDS", tuple(broken if kind.model is Hydration else kind for kind in KINDS))
    (error,) = checks.kinds_match_models()
    assert error.id == "diary.E002" and "volume_l" in error.msg


@pytest.mark.parametrize("kind", KINDS, ids=segment_of)
def test_each_kind_is_found_by_its_segment_and_its_model(kind):
    assert by_segment(kind.segment) is kind
    assert by_model(kind.model) is kind
    assert kind.time_field in {field.name for field in kind.model._meta.fields}


@pytest.mark.parametrize("kind", KINDS, ids=segment_of)
def test_each_kind_has_its_collection_and_the_clinicians_twin(kind):
    assert reverse(f"{kind.segment}-list") == f"/api/v1/{kind.segment}/"
    patient = "00000000-0000-4000-8000-000000000000"
    assert reverse(f"clinician-{kind.segment}", kwargs={"patient_id": patient}) == (
        f"/api/v1/clinician/patients/{patient}/{kind.segment}/"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS, ids=segment_of)
def test_each_kinds_example_is_an_entry_its_serializer_accepts(alice, kind):
    serializer = kind.serializer(data=kind.example(timezone.now(), alice))
    assert serializer.is_valid(), serializer.errors
    assert serializer.validate_for_patient(dict(serializer.validated_data), patient=alice)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_outside_the_api_imports_the_api():
    offenders = [
        str(path.relative_to(DIARY))
        for path in DIARY.rglob("*.py")
        if DIARY / "api" not in path.parents
        and any(name == "diary.api" or name.startswith("diary.api.") for name in imported_modules(path))
    ]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.dbsensitive
def test_every_kinds_table_has_its_summary_trigger_on_this_database():
    assert checks.summary_triggers_present(databases=["default"]) == []
    call_command("check", "--database", "default")  # as `make run` and CI run it


@pytest.mark.django_db
@pytest.mark.dbsensitive
@pytest.mark.parametrize("kind", KINDS, ids=segment_of)
def test_the_check_names_a_table_whose_trigger_was_dropped(kind):
    table = kind.model._meta.db_table
    with connection.cursor() as cursor:  # inside the test's transaction: rolled back after it
        for statement in drop_statements(table, connection.vendor)[:1]:
            cursor.execute(statement)

    (error,) = checks.summary_triggers_present(databases=["default"])

    assert error.id == "diary.E003" and table in error.msg
    with pytest.raises(SystemCheckError):
        call_command("check", "--database", "default")


class CursorEditor:
    """What a RunPython operation uses of a schema editor: its connection and execute()."""

    def __init__(self, cursor):
        self.connection = connection
        self.cursor = cursor

    def execute(self, statement):
        self.cursor.execute(statement)


@pytest.mark.django_db
@pytest.mark.dbsensitive
def test_the_operation_a_new_kinds_migration_uses_gives_its_table_the_triggers_back():
    table = Hydration._meta.db_table
    operation = summary_triggers_operation(table)
    with connection.cursor() as cursor:
        operation.reverse_code(None, CursorEditor(cursor))
        assert checks.summary_triggers_present(databases=["default"]) != []
        operation.code(None, CursorEditor(cursor))
    assert checks.summary_triggers_present(databases=["default"]) == []
