"""A leg cramp: when, how bad, where, and whether it woke the patient."""

from collections.abc import Mapping
from datetime import datetime

from diary.exports.fhir_codes import CRAMP_IN_LIMB, CRAMP_IN_LOWER_LEG, SYMPTOM, component, quantity
from diary.kinds.base import (
    NOT_SAID_DISPLAY,
    RECORD_INTERNAL_FIELDS,
    Kind,
    NotSaidMixin,
    RecordSerializer,
    not_said_kwargs,
)
from diary.models import CrampEpisode

CRAMP_NOT_SAID = ("severity", "duration_seconds", "muscle", "side", "activity")


class CrampSerializer(NotSaidMixin, RecordSerializer):
    NOT_SAID_FIELDS = CRAMP_NOT_SAID

    class Meta:
        model = CrampEpisode
        exclude = RECORD_INTERNAL_FIELDS
        validators = []
        read_only_fields = ("night", "is_nocturnal")
        extra_kwargs = not_said_kwargs(CRAMP_NOT_SAID, choices=("muscle", "side", "activity"))


# The lower leg runs from knee to ankle: a cramp in the calf or shin is one; the thigh and the foot are
# other parts of the limb. "other" names no place, so it gets no code.
CRAMP_FINDING_BY_MUSCLE = {
    "calf": CRAMP_IN_LOWER_LEG,
    "shin": CRAMP_IN_LOWER_LEG,
    "thigh": CRAMP_IN_LIMB,
    "foot": CRAMP_IN_LIMB,
}
FHIR_FIELDS = (
    "id",
    "timezone",
    "started_at",
    "duration_seconds",
    "severity",
    "muscle",
    "side",
    "activity",
    "woke_from_sleep",
    "relieved_by_rest",
    "is_nocturnal",
    "night",
    "notes",
)


def cramp_words(muscle: str | None, side: str | None) -> str:
    """The cramp in words, from what was said of where: "Cramp in the left calf", "Leg cramp"."""
    if side == "both":
        return f"Cramp in both legs ({muscle})" if muscle else "Cramp in both legs"
    if side and muscle:
        return f"Cramp in the {side} {muscle}"
    if side:
        return f"Cramp in the {side} leg"
    return f"Cramp in the {muscle} (side not said)" if muscle else "Leg cramp (where not said)"


def observation(build, row: Mapping) -> dict:
    finding = CRAMP_FINDING_BY_MUSCLE.get(row["muscle"])
    # A part not said is left out of the component list, as every unknown in the export is
    # (docs/decisions/0022-not-said.md).
    seconds = row["duration_seconds"]
    components = [
        component(name, **{element: value})
        for name, element, value in (
            ("Severity (0-10, self-rated)", "valueInteger", row["severity"]),
            ("Muscle", "valueString", row["muscle"]),
            ("Side", "valueString", row["side"]),
            ("Activity at onset", "valueString", row["activity"]),
            ("Duration", "valueQuantity", None if seconds is None else quantity(seconds, "s", "s")),
        )
        if value is not None
    ]
    components += [
        component("Woke the patient from sleep", valueBoolean=row["woke_from_sleep"]),
        component("Nocturnal (woke, asleep or in the night window)", valueBoolean=row["is_nocturnal"]),
        component("Night (the evening it began)", valueDateTime=row["night"].isoformat()),
    ]
    if row["relieved_by_rest"] is not None:
        components.append(component("Relieved by rest", valueBoolean=row["relieved_by_rest"]))
    words = cramp_words(row["muscle"], row["side"])
    value = {"coding": [finding], "text": words} if finding else {"text": words}
    return build.entry(
        row,
        {"coding": [SYMPTOM], "text": "Leg cramp"},
        symptom=True,
        effectiveDateTime=build.moment(row["started_at"], row["timezone"]),
        valueCodeableConcept=value,
        component=components,
    )


def example(at: datetime, patient=None) -> dict:
    return {
        "started_at": at.isoformat(),
        "duration_seconds": 60,
        "severity": 4,
        "muscle": "calf",
        "side": "left",
        "activity": "sleeping",
    }


KIND = Kind(
    segment="cramps",
    model=CrampEpisode,
    serializer=CrampSerializer,
    noun="cramps",
    fhir_fields=FHIR_FIELDS,
    fhir_entry=observation,
    example=example,
    admin={
        "empty_value_display": NOT_SAID_DISPLAY,
        "list_display": (
            "started_at",
            "patient",
            "severity",
            "duration_seconds",
            "muscle",
            "side",
            "activity",
            "night",
            "is_nocturnal",
        ),
        "list_filter": ("muscle", "side", "activity", "is_nocturnal", "woke_from_sleep"),
        "readonly_fields": ("night", "is_nocturnal"),
    },
)
