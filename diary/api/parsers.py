"""The JSON parser, hardened: absurdly deep or oversized bodies are a clear 4xx, never a 500."""

from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            # Python's json module recurses per nesting level: thousands of [[[[ would crash it.
            raise ParseError("JSON parse error - nested too deeply.") from exc
        except RequestDataTooBig as exc:
            raise BodyTooLarge from exc
