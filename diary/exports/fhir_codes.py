"""The FHIR vocabulary the Observations share: codings, quantities and components (ADR 0013)."""

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


def quantity(value, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def component(text: str, **value) -> dict:
    # Component names have no verified code: the text says what each one is.
    return {"code": {"text": text}, **value}


def drug_class_system(base_url: str) -> str:
    """Our own code system for the drug classes the patient chooses from (diary.models.DrugClass)."""
    return f"{base_url}/fhir/CodeSystem/drug-class"
