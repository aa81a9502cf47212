"""The registry of diary record kinds: one module each, in the API's order (docs/decisions/0034)."""

from diary.kinds import checkin, compression, cramp, elevation, factor_entry, hydration, medication
from diary.kinds.base import Kind
from diary.models import DiaryRecord

KINDS: tuple[Kind, ...] = (
    cramp.KIND,
    compression.KIND,
    elevation.KIND,
    hydration.KIND,
    checkin.KIND,
    medication.KIND,
    factor_entry.KIND,
)

_BY_SEGMENT = {kind.segment: kind for kind in KINDS}
_BY_MODEL = {kind.model: kind for kind in KINDS}


def by_segment(segment: str) -> Kind:
    """The kind whose collection is /api/v1/<segment>/; KeyError for any other name."""
    return _BY_SEGMENT[segment]


def by_model(model: type[DiaryRecord]) -> Kind:
    return _BY_MODEL[model]


SEGMENTS: tuple[str, ...] = tuple(_BY_SEGMENT)
# The kinds about an instant the patient logged (all but the medications, dated by their start): what
# says when a diary began, when its latest entry was, and which days have anything logged.
INSTANT_MODELS: tuple[type[DiaryRecord], ...] = tuple(kind.model for kind in KINDS if not kind.dated)

__all__ = ["INSTANT_MODELS", "KINDS", "SEGMENTS", "Kind", "by_model", "by_segment"]
