"""A patient's diary as a FHIR R4 Bundle of patient-reported Observations (medications as
MedicationStatements) and the current insights as DetectedIssues with their reviews, streamed as JSON
(ADR 0013, ADR 0028); the tests validate every mapping with fhir.resources."""

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import orjson

from diary.exports.fhir_codes import SURVEY, SYMPTOM, coding
from diary.insights import Insight, clinician_explanation
from diary.kinds import KINDS, by_segment

# The columns each kind of record needs; the caller reads them with one query per kind.
FIELDS = {kind.segment: kind.fhir_fields for kind in KINDS}
# Rows fetched from the database at a time, and the bytes gathered before a chunk goes to the client:
# both keep an export's memory the same whatever the diary's length, and a chunk of tens of kilobytes
# spares the server a write per resource.
ROWS_PER_FETCH = 2000
CHUNK_BYTES = 64 * 1024


def source_tag(base_url: str) -> dict:
    """The tag that says a resource holds what the patient reported, not what a clinician found."""
    return coding(f"{base_url}/fhir/CodeSystem/source", "patient-reported", "Self-reported by the patient")


class ResourceBuilder:
    """The parts every resource of one patient's records shares: subject, tag, zone; and for an
    Observation its performer and categories."""

    def __init__(self, patient_reference: dict, *, zone: ZoneInfo, tag: dict, base_url: str):
        self.patient_reference = patient_reference
        self.zone = zone
        self.tag = tag
        self.base_url = base_url

    def moment(self, value: datetime, zone_name: str | None = None) -> str:
        """An instant with the offset of the zone it was lived in (a record's own `timezone`), else of
        the patient's, as the diary shows it."""
        zone = self.zone if zone_name is None else ZoneInfo(zone_name)
        return value.astimezone(zone).isoformat(timespec="seconds")

    def resource(self, row: Mapping, resource_type: str, **elements) -> dict:
        """An entry of any resource about the patient: elements as given, the record's notes as a note."""
        resource = {
            "resourceType": resource_type,
            "id": str(row["id"]),
            "meta": {"tag": [self.tag]},
            **elements,
        }
        if row.get("notes"):
            resource["note"] = [{"text": row["notes"]}]
        return {"fullUrl": f"urn:uuid:{row['id']}", "resource": resource}

    def entry(self, row: Mapping, code: dict, *, symptom: bool = False, **elements) -> dict:
        """An Observation the patient reported."""
        categories = [{"coding": [SURVEY]}]
        if symptom:
            categories.append({"coding": [SYMPTOM]})
        return self.resource(
            row,
            "Observation",
            status="final",
            category=categories,
            code=code,
            subject=self.patient_reference,
            performer=[self.patient_reference],
            **elements,
        )


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
    resources (its fhir_resource_type) in the order given, then the current insights as DetectedIssues.

    `records` maps a kind's segment (diary.kinds) to rows with at least FIELDS[segment]; kinds left out
    are simply absent. `alerts` are the patient's UrgentAlert rows (their reviews); `viewer_id` is who
    exports (their own review notes are written), and `clinic_reference` goes on the Patient under the
    identifier system of `reference_owner_id`.
    References are `urn:uuid:` within one Bundle; with `relative_references`, `Patient/<id>` and
    `Observation/<id>`, which still resolve when each resource stands on its own line (bulk NDJSON).
    """
    tag = source_tag(base_url)

    def reference(kind: str, key) -> str:
        return f"{kind}/{key}" if relative_references else f"urn:uuid:{key}"

    patient_reference = {"reference": reference("Patient", patient.pk)}
    if patient.display_name:
        patient_reference["display"] = patient.display_name
    builder = ResourceBuilder(patient_reference, zone=patient.zone, tag=tag, base_url=base_url)
    if include_patient:
        yield patient_entry(
            patient,
            base_url=base_url,
            tag=tag,
            clinic_reference=clinic_reference,
            clinician_id=reference_owner_id,
        )
    for segment, rows in records.items():
        record_entry = by_segment(segment).fhir_entry
        for row in rows:
            yield record_entry(builder, row)
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


def bundle_opening(*, base_url: str, now: datetime) -> dict:
    """The Bundle's own elements, written before its entries."""
    return {
        "resourceType": "Bundle",
        "meta": {"tag": [source_tag(base_url)]},
        "type": "collection",
        "timestamp": now.isoformat(),
    }


def _bundle_patient_resources(patient, *, clinician_id=None, **arguments) -> Iterator[dict]:
    # A clinician's own Bundle: their review notes, and their clinic reference under their own system.
    return patient_resources(patient, viewer_id=clinician_id, reference_owner_id=clinician_id, **arguments)


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
    """A collection Bundle of the patient's entries (patient_resources), whole, as a dict: what the
    stream (bundle_chunks) writes, for the tests and for callers that need the object; `clinician_id` is
    who exports, whose `clinic_reference` goes on the Patient."""
    entries = _bundle_patient_resources(
        patient,
        records=records,
        base_url=base_url,
        insights=insights,
        alerts=alerts,
        clinician_id=clinician_id,
        clinic_reference=clinic_reference,
    )
    return {**bundle_opening(base_url=base_url, now=now), "entry": list(entries)}


def bundle_chunks(
    patient,
    *,
    records: Mapping[str, Iterable[Mapping]],
    base_url: str,
    now: datetime,
    insights: Sequence[Insight] = (),
    alerts: Sequence = (),
    clinician_id=None,
    clinic_reference: str | None = None,
) -> Iterator[bytes]:
    """The same Bundle as fhir_bundle, as JSON in chunks: its opening, each entry as it is built from
    rows read lazily, then the close, so that no more than a chunk and a fetch of rows is ever held.

    Not validated here: fhir.resources costs ten times the building, so the tests validate every kind's
    mapping instead (tests/test_fhir_validation.py, ADR 0013)."""
    opening = orjson.dumps(bundle_opening(base_url=base_url, now=now))
    buffer = bytearray(opening[:-1] + b',"entry":[')
    entries = _bundle_patient_resources(
        patient,
        records=records,
        base_url=base_url,
        insights=insights,
        alerts=alerts,
        clinician_id=clinician_id,
        clinic_reference=clinic_reference,
    )
    for index, entry in enumerate(entries):
        if index:
            buffer += b","
        buffer += orjson.dumps(entry)
        if len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer)
            buffer.clear()
    buffer += b"]}"
    yield bytes(buffer)


def resource_line(resource: dict) -> bytes:
    """One resource as an NDJSON line (UTF-8). Not validated here, as for the Bundle: the tests
    validate each type's lines with fhir.resources."""
    return orjson.dumps(resource, option=orjson.OPT_APPEND_NEWLINE)
