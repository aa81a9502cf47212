"""Error responses: DRF's per-field 400s, plus domain exceptions mapped to their HTTP codes."""

from django.db import IntegrityError
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
    if isinstance(exc, IntegrityError):
        # A database constraint caught what validation missed: still the client's input, not a 500.
        return Response(
            {"detail": "The data breaks a rule of the diary (a value out of range)."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
