"""A patient's diary as a FHIR R4 Bundle of patient-reported Observations and the current insights as
DetectedIssues with their reviews, validated (ADR 0013, ADR 0028)."""

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from diary.insights import Insight, clinician_explanation

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


# Only codes whose display was checked against terminology content (ADR 0013); everything else is text.
SYMPTOM = coding(LOINC, "75325-1", "Symptom")
CRAMP_IN_LOWER_LEG = coding(SNOMED, "449918009", "Cramp in lower leg")
CRAMP_IN_LIMB = coding(SNOMED, "424647005", "Cramp in limb")
FLUID_INTAKE_ORAL_ESTIMATED = coding(LOINC, "8999-5", "Fluid intake oral Estimated")
COMPRESSION_HOSIERY = coding(SNOMED, "348681001", "Graduated compression elastic hosiery")
SURVEY = coding(OBSERVATION_CATEGORY, "survey", "Survey")

# The lower leg runs from knee to ankle: a cramp in the calf or shin is one; the thigh and the foot are
# other parts of the limb. "other" names no place, so it gets no code.
CRAMP_FINDING_BY_MUSCLE = {
    "calf": CRAMP_IN_LOWER_LEG,
    "shin": CRAMP_IN_LOWER_LEG,
    "thigh": CRAMP_IN_LIMB,
    "foot": CRAMP_IN_LIMB,
}
GARMENT_WORDS = {"knee": "knee-high stocking", "thigh": "thigh-high stocking", "pantyhose": "pantyhose"}
SWELLING_SCALE = "0 none, 1 mild, 2 moderate, 3 severe"

# The columns each kind of record needs; the caller reads them with one query per kind.
FIELDS = {
    "cramps": (
        "id",
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
    ),
    "compression": ("id", "started_at", "ended_at", "pressure_class", "garment", "legs"),
    "elevations": ("id", "started_at", "duration_minutes", "above_heart"),
    "hydration": ("id", "taken_at", "volume_ml"),
    "checkins": (
        "id",
        "recorded_at",
        "swelling_left",
        "swelling_right",
        "circumference_left_cm",
        "circumference_right_cm",
        "heaviness",
        "aching",
        "itching",
        "restless_legs",
        "visible_veins",
        "skin_changes",
        "calf_pain_or_tenderness",
        "sudden_onset",
        "redness_or_warmth",
        "sudden_chest_pain_or_breathlessness",
        "cramps_last_night",
        "notes",
    ),
}

CHECKIN_FLAGS = (
    ("restless_legs", "Restless legs"),
    ("visible_veins", "Visible veins"),
    ("skin_changes", "Skin changes (discoloration or ulcer)"),
    ("calf_pain_or_tenderness", "Calf pain or tenderness"),
    ("sudden_onset", "Sudden onset"),
    ("redness_or_warmth", "Redness or warmth"),
    ("sudden_chest_pain_or_breathlessness", "Sudden chest pain or breathlessness"),
)


def source_tag(base_url: str) -> dict:
    """The tag that says a resource holds what the patient reported, not what a clinician found."""
    return coding(f"{base_url}/fhir/CodeSystem/source", "patient-reported", "Self-reported by the patient")


def quantity(value, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def component(text: str, **value) -> dict:
    # Component names have no verified code: the text says what each one is.
    return {"code": {"text": text}, **value}


class ObservationBuilder:
    """The parts every Observation of one patient shares: subject, performer, categories, tag, zone."""

    def __init__(self, patient_reference: dict, *, zone: ZoneInfo, tag: dict):
        self.patient_reference = patient_reference
        self.zone = zone
        self.tag = tag

    def moment(self, value: datetime) -> str:
        # In the patient's own zone, with its offset, as the diary shows it.
        return value.astimezone(self.zone).isoformat(timespec="seconds")

    def entry(self, row: Mapping, code: dict, *, symptom: bool = False, **elements) -> dict:
        categories = [{"coding": [SURVEY]}]
        if symptom:
            categories.append({"coding": [SYMPTOM]})
        resource = {
            "resourceType": "Observation",
            "id": str(row["id"]),
            "meta": {"tag": [self.tag]},
            "status": "final",
            "category": categories,
            "code": code,
            "subject": self.patient_reference,
            "performer": [self.patient_reference],
            **elements,
        }
        if row.get("notes"):
            resource["note"] = [{"text": row["notes"]}]
        return {"fullUrl": f"urn:uuid:{row['id']}", "resource": resource}

    def cramp(self, row: Mapping) -> dict:
        finding = CRAMP_FINDING_BY_MUSCLE.get(row["muscle"])
        # A part not said is left out of the component list, as every unknown in this file is
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
        return self.entry(
            row,
            {"coding": [SYMPTOM], "text": "Leg cramp"},
            symptom=True,
            effectiveDateTime=self.moment(row["started_at"]),
            valueCodeableConcept=value,
            component=components,
        )

    def compression(self, row: Mapping) -> dict:
        low, high = (int(part) for part in row["pressure_class"].split("-"))
        period = {"start": self.moment(row["started_at"])}
        components = [
            component(
                "Garment",
                valueCodeableConcept={"coding": [COMPRESSION_HOSIERY], "text": GARMENT_WORDS[row["garment"]]},
            ),
            component(
                "Pressure class",
                valueRange={"low": quantity(low, "mmHg", "mm[Hg]"), "high": quantity(high, "mmHg", "mm[Hg]")},
            ),
            component("Legs", valueString=row["legs"]),
        ]
        if row["ended_at"] is not None:
            period["end"] = self.moment(row["ended_at"])
            hours = round((row["ended_at"] - row["started_at"]).total_seconds() / 3600, 2)
            components.append(component("Hours worn", valueQuantity=quantity(hours, "h", "h")))
        return self.entry(
            row,
            {"text": "Compression hosiery worn"},
            effectivePeriod=period,
            component=components,
        )

    def elevation(self, row: Mapping) -> dict:
        ended = row["started_at"] + timedelta(minutes=row["duration_minutes"])
        return self.entry(
            row,
            {"text": "Leg elevation"},
            effectivePeriod={"start": self.moment(row["started_at"]), "end": self.moment(ended)},
            valueQuantity=quantity(row["duration_minutes"], "min", "min"),
            component=[component("Above heart level", valueBoolean=row["above_heart"])],
        )

    def hydration(self, row: Mapping) -> dict:
        return self.entry(
            row,
            {"coding": [FLUID_INTAKE_ORAL_ESTIMATED], "text": "Drink"},
            effectiveDateTime=self.moment(row["taken_at"]),
            valueQuantity=quantity(row["volume_ml"], "mL", "mL"),
        )

    def checkin(self, row: Mapping) -> dict:
        # A question not answered is left out, never written as 0 (docs/decisions/0022-not-said.md).
        components = [
            component(f"Swelling, {side} leg ({SWELLING_SCALE})", valueInteger=row[f"swelling_{side}"])
            for side in ("left", "right")
            if row[f"swelling_{side}"] is not None
        ]
        for side in ("left", "right"):
            size = row[f"circumference_{side}_cm"]
            if size is not None:
                name = f"Ankle or calf circumference, {side}"
                components.append(component(name, valueQuantity=quantity(size, "cm", "cm")))
        components += [
            component(f"{name.title()} (0-10)", valueInteger=row[name])
            for name in ("heaviness", "aching", "itching")
            if row[name] is not None
        ]
        components += [component(words, valueBoolean=row[name]) for name, words in CHECKIN_FLAGS]
        if row["cramps_last_night"] is not None:
            components.append(component("Cramps last night", valueString=row["cramps_last_night"]))
        return self.entry(
            row,
            {"text": "Leg symptom check-in"},
            symptom=True,
            effectiveDateTime=self.moment(row["recorded_at"]),
            component=components,
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


def clinic_reference_system(base_url: str, clinician_id) -> str:
    """The identifier system of one clinician's clinic references: each clinician numbers patients their
    own way, so each has a system of their own (ADR 0028)."""
    return f"{base_url}/fhir/clinic-reference/{clinician_id}"


def patient_entry(
    patient, *, base_url: str, tag: dict, clinic_reference: str | None = None, clinician_id=None
) -> dict:
    identifiers = [{"system": f"{base_url}/patients", "value": str(patient.pk)}]
    if clinic_reference and clinician_id is not None:
        identifiers.append(
            {
                "use": "secondary",
                "system": clinic_reference_system(base_url, clinician_id),
                "value": clinic_reference,
            }
        )
    resource = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "meta": {"tag": [tag]},
        "identifier": identifiers,
    }
    if patient.display_name:
        resource["name"] = [{"text": patient.display_name}]
    if patient.date_of_birth is not None:  # not said: left out, never guessed
        resource["birthDate"] = patient.date_of_birth.isoformat()
    return {"fullUrl": f"urn:uuid:{patient.pk}", "resource": resource}


# An insight's level as a DetectedIssue's severity (ADR 0028).
SEVERITY = {"urgent": "high", "advice": "moderate", "info": "low"}


def insight_system(base_url: str) -> str:
    return f"{base_url}/fhir/CodeSystem/insight"


def clinician_reference(base_url: str, clinician_id, name: str) -> dict:
    # No Practitioner resource is exported: the reference names the clinician by identifier and name.
    return {
        "type": "Practitioner",
        "identifier": {"system": f"{base_url}/clinicians", "value": str(clinician_id)},
        "display": name,
    }


def review_mitigations(alerts: Iterable, *, base_url: str, viewer_id) -> list[dict]:
    """The reviews of the alerts behind an insight, oldest first, and the patient's acknowledgement.

    A review note is its author's own: it is written only into that clinician's export; another
    clinician's export says who reviewed and when, not what they noted (ADR 0028)."""
    mitigations = []
    acknowledged = [alert.acknowledged_by_patient_at for alert in alerts if alert.acknowledged_by_patient_at]
    if acknowledged:
        mitigations.append(
            {
                "action": {"text": "The patient acknowledged the warning in the app (self-reported)"},
                "date": min(acknowledged).isoformat(),
            }
        )
    for alert in sorted((a for a in alerts if a.reviewed_at), key=lambda a: a.reviewed_at):
        action = "Urgent alert reviewed by the clinician"
        if alert.note and alert.reviewed_by_id == viewer_id:
            action += f". Note: {alert.note}"
        mitigation = {"action": {"text": action}, "date": alert.reviewed_at.isoformat()}
        if alert.reviewed_by_id is not None:
            mitigation["author"] = clinician_reference(base_url, alert.reviewed_by_id, alert.reviewed_by_name)
        mitigations.append(mitigation)
    return mitigations


def detected_issue_entry(
    insight: Insight,
    *,
    patient,
    patient_reference: dict,
    base_url: str,
    tag: dict,
    alerts: Sequence = (),
    viewer_id=None,
) -> dict:
    """One current insight as a DetectedIssue: preliminary (the app found it in what the patient
    reported; nobody confirmed it), its level as severity, the clinician's wording as detail, the
    check-in behind an urgent one as evidence, and the alerts' reviews as mitigations."""
    # The same insight (code, first evidence) gets the same id in every export.
    key = f"{base_url}/patients/{patient.pk}/insights/{insight.code}/{insight.first_seen}"
    issue_id = str(uuid.uuid5(uuid.NAMESPACE_URL, key))
    resource = {
        "resourceType": "DetectedIssue",
        "id": issue_id,
        "meta": {"tag": [tag]},
        "status": "preliminary",
        "code": {
            "coding": [{"system": insight_system(base_url), "code": insight.code}],
            "text": insight.title,
        },
        "severity": SEVERITY[insight.level],
        "patient": patient_reference,
        "detail": clinician_explanation(insight, time_zone=patient.timezone),
    }
    if insight.first_seen is not None:
        resource["identifiedDateTime"] = insight.first_seen.astimezone(patient.zone).isoformat(
            timespec="seconds"
        )
    checkin_id = insight.evidence.get("checkin_id")
    if checkin_id:
        resource["evidence"] = [{"detail": [{"reference": f"urn:uuid:{checkin_id}"}]}]
    mitigations = review_mitigations(alerts, base_url=base_url, viewer_id=viewer_id)
    if mitigations:
        resource["mitigation"] = mitigations
    return {"fullUrl": f"urn:uuid:{issue_id}", "resource": resource}


def alerts_behind(insight: Insight, alerts: Iterable) -> list:
    """The alerts raised by this insight's episode: its code, with evidence since its first check-in."""
    return [
        alert
        for alert in alerts
        if alert.code == insight.code
        and (insight.first_seen is None or alert.last_evidence_at >= insight.first_seen)
    ]


def patient_resources(
    patient,
    *,
    records: Mapping[str, Iterable[Mapping]],
    base_url: str,
    insights: Sequence[Insight] = (),
    alerts: Sequence = (),
    viewer_id=None,
    clinic_reference: str | None = None,
    reference_owner_id=None,
    relative_references: bool = False,
    include_patient: bool = True,
) -> Iterator[dict]:
    """One patient's entries ({fullUrl, resource}), one at a time: the Patient, then each kind's
    Observations in the order given, then the current insights as DetectedIssues.

    `records` maps a collection name (cramps, compression, elevations, hydration, checkins) to rows with
    at least FIELDS[name]; kinds left out are simply absent. `alerts` are the patient's UrgentAlert rows
    (their reviews); `viewer_id` is who exports (their own review notes are written), and
    `clinic_reference` goes on the Patient under the identifier system of `reference_owner_id`.
    References are `urn:uuid:` within one Bundle; with `relative_references`, `Patient/<id>` and
    `Observation/<id>`, which still resolve when each resource stands on its own line (bulk NDJSON).
    """
    tag = source_tag(base_url)

    def reference(kind: str, key) -> str:
        return f"{kind}/{key}" if relative_references else f"urn:uuid:{key}"

    patient_reference = {"reference": reference("Patient", patient.pk)}
    if patient.display_name:
        patient_reference["display"] = patient.display_name
    builder = ObservationBuilder(patient_reference, zone=patient.zone, tag=tag)
    make = {
        "cramps": builder.cramp,
        "compression": builder.compression,
        "elevations": builder.elevation,
        "hydration": builder.hydration,
        "checkins": builder.checkin,
    }
    if include_patient:
        yield patient_entry(
            patient,
            base_url=base_url,
            tag=tag,
            clinic_reference=clinic_reference,
            clinician_id=reference_owner_id,
        )
    for kind, rows in records.items():
        for row in rows:
            yield make[kind](row)
    for insight in insights:
        entry = detected_issue_entry(
            insight,
            patient=patient,
            patient_reference=patient_reference,
            base_url=base_url,
            tag=tag,
            alerts=alerts_behind(insight, alerts),
            viewer_id=viewer_id,
        )
        if relative_references:
            for evidence in entry["resource"].get("evidence", ()):
                for detail in evidence["detail"]:
                    detail["reference"] = reference(
                        "Observation", detail["reference"].removeprefix("urn:uuid:")
                    )
        yield entry


def fhir_bundle(
    patient,
    *,
    records: Mapping[str, Iterable[Mapping]],
    base_url: str,
    now: datetime,
    insights: Sequence[Insight] = (),
    alerts: Sequence = (),
    clinician_id=None,
    clinic_reference: str | None = None,
) -> dict:
    """A collection Bundle of the patient's entries (patient_resources); `clinician_id` is who exports,
    whose `clinic_reference` goes on the Patient."""
    entries = list(
        patient_resources(
            patient,
            records=records,
            base_url=base_url,
            insights=insights,
            alerts=alerts,
            viewer_id=clinician_id,
            clinic_reference=clinic_reference,
            reference_owner_id=clinician_id,
        )
    )
    return {
        "resourceType": "Bundle",
        "meta": {"tag": [source_tag(base_url)]},
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": entries,
    }


def bundle_json(bundle: dict) -> str:
    """The Bundle as JSON, after fhir.resources has validated it (a ValidationError is our bug, a 500).

    The JSON is written from our own dicts: the model's own serialiser costs more than the validation.
    """
    Bundle.model_validate(bundle)
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))


def resource_line(resource: dict) -> str:
    """One resource as an NDJSON line, after fhir.resources has validated it as its own type (a
    ValidationError is our bug, as for the Bundle)."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":")) + "\n"
