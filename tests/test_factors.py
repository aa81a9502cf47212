"""The patient's own factors: tags unique by name whatever the case, chosen ids for offline creates, a
delete that asks before it takes entries with it, entries that name only the patient's own tags, the
clinician's read-only twin and the FHIR Observation of an entry."""

import json
import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from fhir.resources.R4B.observation import Observation

from diary.models import AccessLogEntry, Factor, FactorEntry
from tests.conftest import response_body

pytestmark = pytest.mark.django_db

URL = "/api/v1/factors/"
ENTRIES = "/api/v1/factor-entries/"


def an_hour_ago() -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


@pytest.fixture
def coffee(as_alice) -> dict:
    return as_alice.post(URL, {"name": "Coffee"}).json()


def test_alice_adds_renames_and_lists_her_factors_by_name(as_alice, coffee):
    as_alice.post(URL, {"name": "  a long walk "})
    renamed = as_alice.patch(f"{URL}{coffee['id']}/", {"name": "Strong coffee"})
    assert renamed.json() == {"id": coffee["id"], "name": "Strong coffee"}
    assert [row["name"] for row in as_alice.get(URL).json()] == ["a long walk", "Strong coffee"]


def test_the_list_is_not_paginated(as_alice, coffee):
    assert isinstance(as_alice.get(URL).json(), list)


@pytest.mark.parametrize("name", ["coffee", "COFFEE", " Coffee "])
def test_a_name_she_already_has_whatever_its_case_is_a_400(as_alice, coffee, name):
    response = as_alice.post(URL, {"name": name})
    assert response.status_code == 400
    assert response.json()["name"] == ["You already have this one."]


def test_a_rename_onto_another_of_her_names_is_a_400(as_alice, coffee):
    walk = as_alice.post(URL, {"name": "A long walk"}).json()
    response = as_alice.patch(f"{URL}{walk['id']}/", {"name": "cOFFEE"})
    assert response.status_code == 400 and "name" in response.json()
    assert as_alice.patch(f"{URL}{coffee['id']}/", {"name": "coffee"}).status_code == 200  # its own name


@pytest.mark.parametrize("name", ["", "   ", "x" * 41])
def test_an_empty_or_long_name_is_a_400(as_alice, name):
    response = as_alice.post(URL, {"name": name})
    assert response.status_code == 400 and "name" in response.json()


def test_carol_may_have_a_coffee_of_her_own(as_carol, coffee):
    assert as_carol.post(URL, {"name": "coffee"}).status_code == 201


def test_the_database_refuses_a_second_name_whatever_its_case(alice):
    Factor.objects.create(patient=alice, name="Coffee")
    with pytest.raises(IntegrityError), transaction.atomic():
        Factor.objects.create(patient=alice, name="cOFFee")


def test_a_replayed_create_with_her_id_answers_the_same_factor(as_alice):
    body = {"id": str(uuid.uuid4()), "name": "Coffee"}
    assert as_alice.post(URL, body).status_code == 201
    replay = as_alice.post(URL, body)
    assert replay.status_code == 200 and replay.json() == body
    assert Factor.objects.count() == 1
    assert as_alice.post(URL, {**body, "name": "Tea"}).status_code == 409


def test_carols_create_with_alices_id_is_a_409_that_tells_nothing(as_carol, coffee):
    response = as_carol.post(URL, {"id": coffee["id"], "name": "Coffee"})
    assert response.status_code == 409
    assert "Coffee" not in response.content.decode()


def test_a_factor_without_entries_deletes_plainly(as_alice, coffee):
    assert as_alice.delete(f"{URL}{coffee['id']}/").status_code == 204
    assert not Factor.objects.exists()


def test_deleting_a_factor_with_entries_asks_then_takes_them_together(as_alice, coffee):
    for _ in range(2):
        as_alice.post(ENTRIES, {"factor": coffee["id"], "occurred_at": an_hour_ago()})

    asked = as_alice.delete(f"{URL}{coffee['id']}/")
    assert asked.status_code == 409
    assert asked.json()["entries"] == 2
    assert "2 entries" in asked.json()["detail"] and "with_entries=true" in asked.json()["detail"]
    assert FactorEntry.objects.count() == 2

    assert as_alice.delete(f"{URL}{coffee['id']}/?with_entries=true").status_code == 204
    assert not Factor.objects.exists() and not FactorEntry.objects.exists()


def test_a_malformed_with_entries_is_a_400_naming_it(as_alice, coffee):
    response = as_alice.delete(f"{URL}{coffee['id']}/?with_entries=perhaps")
    assert response.status_code == 400 and "with_entries" in response.json()


def test_alice_logs_an_entry_of_her_factor(as_alice, coffee):
    response = as_alice.post(ENTRIES, {"factor": coffee["id"], "occurred_at": an_hour_ago()})
    assert response.status_code == 201, response.json()
    assert response.json()["factor"] == coffee["id"]
    assert as_alice.get(ENTRIES).json()["results"][0]["notes"] == ""


def test_an_entry_naming_another_patients_factor_is_refused_like_no_factor(as_alice, as_carol, coffee):
    theirs = as_carol.post(ENTRIES, {"factor": coffee["id"], "occurred_at": an_hour_ago()})
    unknown = as_carol.post(ENTRIES, {"factor": str(uuid.uuid4()), "occurred_at": an_hour_ago()})
    assert theirs.status_code == unknown.status_code == 400
    assert theirs.json()["factor"] == unknown.json()["factor"]
    assert not FactorEntry.objects.exists()


def test_a_patch_cannot_move_her_entry_onto_another_patients_factor(as_alice, as_carol, coffee):
    carols = as_carol.post(URL, {"name": "Tea"}).json()
    entry = as_alice.post(ENTRIES, {"factor": coffee["id"], "occurred_at": an_hour_ago()}).json()
    response = as_alice.patch(f"{ENTRIES}{entry['id']}/", {"factor": carols["id"]})
    assert response.status_code == 400 and "factor" in response.json()
    assert str(FactorEntry.objects.get().factor_id) == coffee["id"]


def test_an_entry_without_a_factor_or_time_is_a_400_naming_them(as_alice):
    response = as_alice.post(ENTRIES, {})
    assert set(response.json()) == {"factor", "occurred_at"}


def test_bob_reads_alices_factors_and_it_is_logged(as_bob, alice, coffee):
    response = as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/factors/")
    assert response.status_code == 200
    assert response.json() == [{"id": coffee["id"], "name": "Coffee"}]
    assert AccessLogEntry.objects.filter(patient=alice, action="read factors").exists()


def test_carol_and_dave_cannot_read_alices_factors(as_carol, as_dave, alice, coffee):
    assert as_carol.get(URL).json() == []
    assert as_carol.get(f"{URL}{coffee['id']}/").status_code == 404
    assert as_carol.patch(f"{URL}{coffee['id']}/", {"name": "Mine"}).status_code == 404
    assert as_carol.delete(f"{URL}{coffee['id']}/").status_code == 404
    assert as_dave.get(f"/api/v1/clinician/patients/{alice.pk}/factors/").status_code == 404
    assert Factor.objects.get().name == "Coffee"


def test_the_fhir_export_has_an_observation_named_by_the_factor(as_alice, as_bob, alice, coffee):
    as_alice.post(ENTRIES, {"factor": coffee["id"], "occurred_at": an_hour_ago(), "notes": "A double"})
    bundle = json.loads(
        response_body(as_bob.get(f"/api/v1/clinician/patients/{alice.pk}/export/", {"format": "fhir"}))
    )
    (observation,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation" and e["resource"]["code"].get("text") == "Coffee"
    ]
    Observation.model_validate(observation)
    assert observation["valueBoolean"] is True
    assert observation["note"] == [{"text": "A double"}]
    assert observation["effectiveDateTime"].endswith("+01:00")  # on alice's Berlin clock
