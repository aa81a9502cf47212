"""Export files built from a patient's diary: CSV and JSON, a FHIR R4 Bundle, a one-page PDF summary."""
