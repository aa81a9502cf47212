"""System checks: the registry of record kinds matches the models, and every kind's table has the
triggers that keep the clinician summaries fresh (docs/decisions/0034-kind-registry.md)."""

from django.core import checks
from django.db import connections


@checks.register(checks.Tags.models)
def kinds_match_models(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every diary record model has exactly one kind, in the models' order, and each kind's FHIR
    fields are fields of its model (a missing one would make the clinician's export a 500)."""
    from diary.kinds import KINDS
    from diary.models import DIARY_MODELS

    errors = []
    if tuple(kind.model for kind in KINDS) != DIARY_MODELS:
        errors.append(
            checks.Error(
                "diary.kinds.KINDS does not list every DiaryRecord model once, in the order of diary.models.",
                hint="Add a module for the new kind to diary/kinds/ and put its KIND in KINDS.",
                id="diary.E001",
            )
        )
    for kind in KINDS:
        names = {field.name for field in kind.model._meta.get_fields()}
        # A lookup through a foreign key ("factor__name") names its first field.
        missing = [name for name in kind.fhir_fields if name.split("__")[0] not in names]
        if missing:
            errors.append(
                checks.Error(
                    f"The {kind.segment} kind's fhir_fields name no field of {kind.model.__name__}: "
                    f"{', '.join(missing)}.",
                    id="diary.E002",
                )
            )
    return errors


@checks.register(checks.Tags.database)
def summary_triggers_present(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Run by `manage.py check --database default` (and migrate): a kind's table without its trigger
    would leave clinician summaries silently stale."""
    from diary.kinds import KINDS
    from diary.kinds.triggers import present_triggers, trigger_names

    errors = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor not in ("postgresql", "sqlite"):
            continue
        tables = [kind.model._meta.db_table for kind in KINDS]
        present = present_triggers(connection, tables)
        for kind in KINDS:
            table = kind.model._meta.db_table
            if table not in present:  # not migrated yet: migrate makes it with its triggers
                continue
            missing = [name for name in trigger_names(table, connection.vendor) if name not in present[table]]
            if missing:
                errors.append(
                    checks.Error(
                        f"Table {table} ({kind.segment}) lacks its summary trigger(s) {', '.join(missing)} "
                        f"on database {alias!r}: clinician summaries would go stale unseen.",
                        hint="Add diary.kinds.triggers.summary_triggers_operation(table) to a migration.",
                        obj=kind.model,
                        id="diary.E003",
                    )
                )
    return errors
