"""The API's JSON renderer (orjson) writes what DRF's own JSONRenderer wrote, byte for byte."""

import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from diary.api.renderers import OrjsonRenderer
from diary.models import Muscle


def drf(data) -> bytes:
    # DRF escapes U+2028 and U+2029 for script embedding; JSON itself allows them raw (RFC 8259), and
    # the API's answers are parsed as JSON, never run as script.
    return JSONRenderer().render(data).replace(b"\\u2028", "\u2028".encode())


def test_it_writes_every_kind_of_value_the_api_answers_with_as_drf_did():
    data = ReturnDict(
        {
            "id": uuid.UUID("0b1c8b9e-4a43-4d4e-9a6c-2f3c3c8f9d10"),
            "utc": datetime(2026, 11, 30, 3, 12, 5, 123456, tzinfo=UTC),
            "berlin": datetime(2026, 11, 30, 4, 12, tzinfo=timezone(timedelta(hours=1))),
            "night": date(2026, 11, 29),
            "quiet_start": time(22, 0),
            "fluid": Decimal("1.5"),
            "mean": 1234.5,
            "title": gettext_lazy("Nightly cramps"),
            "muscle": Muscle.CALF,
            "weeks": ReturnList([{"cramps": 3, "swelling_days": None, "ok": True}], serializer=None),
            "codes": ("nocturnal_cramps",),
            "by_night": {2: "two nights"},
            "notes": "Krämpfe \\u00e9 \U0001f9b5 \u2028",
        },
        serializer=None,
    )
    assert OrjsonRenderer().render(data) == drf(data)


def test_it_writes_nothing_for_none_as_drf_did():
    assert OrjsonRenderer().render(None) == JSONRenderer().render(None) == b""


def test_a_value_no_json_can_hold_is_null_rather_than_a_500():
    assert OrjsonRenderer().render({"mean": float("nan")}) == b'{"mean":null}'
