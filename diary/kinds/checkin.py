"""A symptom check-in: swelling, circumference, heaviness and the warning signs, as the patient felt them."""

from collections.abc import Mapping
from datetime import datetime

from rest_framework import serializers

from diary.exports.fhir_codes import component, quantity
from diary.kinds.base import (
    NOT_SAID_DISPLAY,
    RECORD_INTERNAL_FIELDS,
    Kind,
    NotSaidMixin,
    RecordSerializer,
    not_said_kwargs,
)
from diary.models import CheckIn, CrampsLastNight

CHECKIN_NOT_SAID = ("swelling_left", "swelling_right", "heaviness", "aching", "itching")


class CheckInSerializer(NotSaidMixin, RecordSerializer):
    NOT_SAID_FIELDS = CHECKIN_NOT_SAID
    cramps_last_night = serializers.ChoiceField(
        choices=CrampsLastNight.choices,
        allow_null=True,
        required=False,
        help_text='The answer to "cramps last night?"; null when not said.',
    )

    class Meta:
        model = CheckIn
        exclude = RECORD_INTERNAL_FIELDS
        validators = []
        extra_kwargs = {
            **not_said_kwargs(CHECKIN_NOT_SAID),
            # Optional and nullable, never "" nor defaulted: a left-out site is not said (stored null,
            # and left out of the create's fingerprint, so replays from before the field stay alike).
            **{
                f"circumference_site_{side}": {
                    "required": False,
                    "allow_null": True,
                    "allow_blank": False,
                    "help_text": f"Where circumference_{side}_cm was measured: calf or ankle; left out or "
                    "null: not said. Circumferences are compared only when both legs were measured at the "
                    "same site; a measurement without its site is compared with nothing.",
                }
                for side in ("left", "right")
            },
        }


SWELLING_SCALE = "0 none, 1 mild, 2 moderate, 3 severe"
CHECKIN_FLAGS = (
    ("restless_legs", "Restless legs"),
    ("visible_veins", "Visible veins"),
    ("skin_changes", "Skin changes (discoloration or ulcer)"),
    ("calf_pain_or_tenderness", "Calf pain or tenderness"),
    ("sudden_onset", "Sudden onset"),
    ("redness_or_warmth", "Redness or warmth"),
    ("sudden_chest_pain_or_breathlessness", "Sudden chest pain or breathlessness"),
)
FHIR_FIELDS = (
    "id",
    "timezone",
    "recorded_at",
    "swelling_left",
    "swelling_right",
    "circumference_left_cm",
    "circumference_right_cm",
    "circumference_site_left",
    "circumference_site_right",
    "heaviness",
    "aching",
    "itching",
    *(name for name, _ in CHECKIN_FLAGS),
    "cramps_last_night",
    "notes",
)


def observation(build, row: Mapping) -> dict:
    # A question not answered is left out, never written as 0 (docs/decisions/0022-not-said.md).
    components = [
        component(f"Swelling, {side} leg ({SWELLING_SCALE})", valueInteger=row[f"swelling_{side}"])
        for side in ("left", "right")
        if row[f"swelling_{side}"] is not None
    ]
    for side in ("left", "right"):
        size = row[f"circumference_{side}_cm"]
        if size is not None:
            site = row[f"circumference_site_{side}"]
            name = f"{site.title()} circumference, {side}" if site else f"Ankle or calf circumference, {side}"
            components.append(component(name, valueQuantity=quantity(size, "cm", "cm")))
    components += [
        component(f"{name.title()} (0-10)", valueInteger=row[name])
        for name in ("heaviness", "aching", "itching")
        if row[name] is not None
    ]
    components += [component(words, valueBoolean=row[name]) for name, words in CHECKIN_FLAGS]
    if row["cramps_last_night"] is not None:
        components.append(component("Cramps last night", valueString=row["cramps_last_night"]))
    return build.entry(
        row,
        {"text": "Leg symptom check-in"},
        symptom=True,
        effectiveDateTime=build.moment(row["recorded_at"], row["timezone"]),
        component=components,
    )


def example(at: datetime, patient=None) -> dict:
    return {"recorded_at": at.isoformat()}


KIND = Kind(
    segment="checkins",
    model=CheckIn,
    serializer=CheckInSerializer,
    noun="check-ins",
    fhir_fields=FHIR_FIELDS,
    fhir_entry=observation,
    example=example,
    admin={
        "empty_value_display": NOT_SAID_DISPLAY,
        "list_display": (
            "recorded_at",
            "patient",
            "swelling_left",
            "swelling_right",
            "heaviness",
            "aching",
            "cramps_last_night",
            "skin_changes",
            "calf_pain_or_tenderness",
        ),
        "list_filter": (
            "cramps_last_night",
            "skin_changes",
            "calf_pain_or_tenderness",
            "sudden_chest_pain_or_breathlessness",
            "restless_legs",
        ),
    },
)
