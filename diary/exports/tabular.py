"""The whole diary as JSON (the API's own shapes) or as one long CSV table (docs/decisions/0007)."""

import csv
import io

from django.utils import timezone

from diary import selectors
from diary.api.accounts import ProfileSerializer
from diary.api.records import PATIENT_VIEWSETS
from diary.models import User

# The CSV is one long table: a `kind` column (the collection name) and the union of all fields.
CSV_LEADING_COLUMNS = ["kind", "id"]


def diary_as_dict(patient: User) -> dict:
    """Every record of the patient, grouped by collection, oldest first, in the API's own shapes."""
    body = {"exported_at": timezone.now().isoformat(), "profile": ProfileSerializer(patient).data}
    for segment, viewset in PATIENT_VIEWSETS.items():
        records = selectors.records_of(viewset.model, patient=patient).reverse()
        body[segment] = viewset.serializer_class(records, many=True).data
    return body


def csv_columns() -> list[str]:
    columns = list(CSV_LEADING_COLUMNS)
    for viewset in PATIENT_VIEWSETS.values():
        for field in viewset.serializer_class().fields:
            if field not in columns:
                columns.append(field)
    return columns


def diary_as_csv(patient: User) -> str:
    collections = {key: value for key, value in diary_as_dict(patient).items() if isinstance(value, list)}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_columns())
    writer.writeheader()
    for segment, rows in collections.items():
        for row in rows:
            writer.writerow({"kind": segment, **{k: cell(v) for k, v in row.items()}})
    return out.getvalue()


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
