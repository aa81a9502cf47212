"""The benchmarks' baselines stay comparable: the bare and the plain-DRF cramp views store the row the API
stores, and the empty view answers; a benchmark whose baseline answers 400 measures nothing."""

import json
import uuid

import pytest
from django.test import Client
from knox.models import AuthToken

from bench.create_cramp import cramp_body
from bench.floor import EMPTY_PATH
from bench.load_urls import BARE_URL, PLAIN_DRF_URL
from diary.models import CrampEpisode

pytestmark = pytest.mark.django_db

# Not the night: the baselines take the local date for it, a simplification that costs them nothing.
COMPARED = ("started_at", "local_date", "is_nocturnal", "timezone", "severity", "muscle")


@pytest.mark.urls("bench.load_urls")
def test_the_bare_and_plain_drf_baselines_store_the_row_the_api_stores(alice):
    _, token = AuthToken.objects.create(alice)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    sent, stored = json.loads(cramp_body()), {}  # the benchmark's own body, one time for all three
    for url in ("/api/v1/cramps/", BARE_URL, PLAIN_DRF_URL):
        record_id = str(uuid.uuid4())
        body = json.dumps({**sent, "id": record_id})
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 201, (url, response.content)
        stored[url] = CrampEpisode.objects.values(*COMPARED).get(pk=record_id)

    assert stored[BARE_URL] == stored["/api/v1/cramps/"] == stored[PLAIN_DRF_URL]


@pytest.mark.urls("bench.floor")
def test_the_floors_empty_view_answers_a_signed_in_get(as_alice):
    response = as_alice.get(EMPTY_PATH)

    assert response.status_code == 200 and response.json() == {}
