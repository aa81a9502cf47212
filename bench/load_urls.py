"""The project's URLconf plus a bare view that inserts a cramp: the baseline of the create-cramp ratio
(bench/create_cramp.py in one process, bench/load.py over HTTP)."""

import json

from django.http import JsonResponse
from django.urls import include, path
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from diary.models import CrampEpisode

BARE_URL = "/bench/bare-cramps/"


@csrf_exempt
def bare_create_cramp(request):
    """The same token check and the same row as POST /api/v1/cramps/, with none of the project's layers."""
    try:
        authenticated = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        authenticated = None
    if authenticated is None:
        return JsonResponse({"detail": "Not signed in."}, status=401)
    user, _token = authenticated
    body = json.loads(request.body)
    started_at = parse_datetime(body["started_at"])
    local = started_at.astimezone(user.zone)
    cramp = CrampEpisode.objects.create(
        id=body["id"],
        patient=user,
        started_at=started_at,
        duration_seconds=body["duration_seconds"],
        severity=body["severity"],
        muscle=body["muscle"],
        side=body["side"],
        activity=body["activity"],
        woke_from_sleep=body["woke_from_sleep"],
        local_date=local.date(),
        night=local.date(),
        is_nocturnal=body["woke_from_sleep"],
    )
    return JsonResponse({"id": str(cramp.id)}, status=201)


# The bare view first, then everything the app serves: both pass the same middleware and resolver.
urlpatterns = [
    path(BARE_URL.lstrip("/"), bare_create_cramp),
    path("", include("config.urls")),
]
