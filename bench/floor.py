"""The request's fixed cost: an authenticated GET of a view that does nothing, through the project's own
middleware, DRF settings and renderer; the floor under every read's figure."""

from django.test.utils import override_settings
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

EMPTY_PATH = "/bench/empty/"


class EmptyView(APIView):
    """Signed in (the project's default permission), no query, an empty object back."""

    def get(self, request):
        return Response({})


urlpatterns = [path(EMPTY_PATH.strip("/") + "/", EmptyView.as_view()), path("", include("config.urls"))]


def floor_seconds(client, median_seconds, repeats: int) -> float:
    """The median seconds of `repeats` empty GETs by `client` (signed in), measured with the benchmark's own
    `median_seconds(call, repeats)`; the app's URLs are served beside the empty one meanwhile."""

    def empty_get():
        response = client.get(EMPTY_PATH)
        assert response.status_code == 200, response.status_code

    with override_settings(ROOT_URLCONF="bench.floor"):
        empty_get()  # warm up: the URL resolver is built for the new URLconf
        return median_seconds(empty_get, repeats)
