"""The project's URLconf plus a bare view that inserts a cramp, the baseline of the create-cramp ratio
(bench/create_cramp.py in one process, bench/load.py over HTTP), and for comparison the plain DRF way
to the same insert: a CreateAPIView with a ModelSerializer."""

import json

from django.http import JsonResponse
from django.urls import include, path
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from knox.auth import TokenAuthentication
from rest_framework import generics, serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import IsAuthenticated

from diary.models import CrampEpisode

BARE_URL = "/bench/bare-cramps/"
PLAIN_DRF_URL = "/bench/plain-drf-cramps/"


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
        timezone=user.timezone,  # the profile's, as the app's when the client sends none
    )
    return JsonResponse({"id": str(cramp.id)}, status=201)


class PlainCrampSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField()  # client-chosen, as the app's

    class Meta:
        model = CrampEpisode
        # What the client sends; the view fills the rest, as the bare view does.
        exclude = ["patient", "local_date", "create_fingerprint", "night", "is_nocturnal", "timezone"]


class PlainDrfCreateCramp(generics.CreateAPIView):
    """DRF as its tutorial writes it, with the same token check and the same row as the bare view: no
    throttle, no idempotent replay, no derived night, no stale mark."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = []
    serializer_class = PlainCrampSerializer

    def perform_create(self, serializer):
        local = serializer.validated_data["started_at"].astimezone(self.request.user.zone)
        serializer.save(
            patient=self.request.user,
            local_date=local.date(),
            night=local.date(),
            is_nocturnal=serializer.validated_data.get("woke_from_sleep", False),
            timezone=self.request.user.timezone,
        )


# The bare view first, then everything the app serves: both pass the same middleware and resolver.
urlpatterns = [
    path(BARE_URL.lstrip("/"), bare_create_cramp),
    path(PLAIN_DRF_URL.lstrip("/"), PlainDrfCreateCramp.as_view()),
    path("", include("config.urls")),
]
