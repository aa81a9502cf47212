"""Error responses: DRF's per-field 400s, plus domain exceptions mapped to their HTTP codes."""

from django.db import IntegrityError, InterfaceError, OperationalError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from diary.services.records import IdConflict


def exception_handler(exc, context):
    if isinstance(exc, IdConflict):
        return Response(
            {"id": ["This id is already used by another record. Send a new id to create one."]},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is down or restarting: say so as the API's own kind of answer, and when to
        # retry (the PWA retries 5xx with the same id, so nothing is lost or doubled).
        response = Response(
            {"detail": "The diary is briefly unavailable. Your entry is kept; it will be sent again."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = "5"
        return response
    if isinstance(exc, IntegrityError):
        # A database constraint caught what validation missed: still the client's input, not a 500.
        return Response(
            {"detail": "The data breaks a rule of the diary (a value out of range)."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
