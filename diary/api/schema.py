"""OpenAPI post-processing: the error answers every endpoint can give, documented once for all."""

ERROR_BODY = {
    "type": "object",
    "description": 'Either {"detail": "..."} or, for invalid input, {"<field>": ["message", ...]}.',
    "additionalProperties": True,
}
COMMON_ERRORS = {
    "400": "Invalid input: each field at fault is named with its messages.",
    "401": "Not signed in.",
    "403": "Signed in, but not allowed (for example a clinician on a patient's own endpoint).",
    "404": "Not found, or not yours to see: another person's data is never revealed.",
    "429": "Too many attempts; the Retry-After header says when to try again.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular hook: add the common 4xx answers to every operation that does not document them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_BODY
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
