"""Error responses: DRF's per-field 400s, plus domain exceptions mapped to their HTTP codes."""

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from diary.services.records import IdConflict


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # DRF reads the body for its JSON parser outside the parser, where Django's size check fires.
        return Response(
            {"detail": _("The request body is too large.")}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, IdConflict):
        return Response(
            {"id": [_("This id is already used by another record. Send a new id to create one.")]},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is down or restarting: say so as the API's own kind of answer, and when to
        # retry (the PWA retries 5xx with the same id, so nothing is lost or doubled).
        response = Response(
            {"detail": _("The diary is briefly unavailable. Your entry is kept; it will be sent again.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = "5"
        return response
    if isinstance(exc, IntegrityError):
        # A database constraint caught what validation missed: still the client's input, not a 500.
        return Response(
            {"detail": _("The data breaks a rule of the diary (a value out of range).")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        # Django's get_object_or_404 says "No CrampEpisode matches the given query.", in English only
        # and naming a table: the API's own "Not found." instead, in the reader's language.
        exc = NotFound()
    return drf_exception_handler(exc, context)


def not_found(request, *args, **kwargs):
    """Any /api/ path no route matches: the API's own kind of 404, not Django's HTML page (and no
    redirect to the path with a slash, which would drop a POST's body)."""
    detail = _("Not found.")
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            detail = _("Not found. API paths end in a slash: %(path)s/") % {"path": request.path}
    return JsonResponse({"detail": detail}, status=404)
