"""Offline-safe creates: a replayed POST with the same id creates nothing; a different body is a 409."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.models import CrampEpisode, Hydration
from diary.services.records import record_create
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.dbsensitive]


def cramp_body(**overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "started_at": (timezone.now() - timedelta(hours=4)).isoformat(),
        "duration_seconds": 120,
        "severity": 5,
        "muscle": "calf",
        "side": "right",
        "activity": "sleeping",
        **overrides,
    }


def test_a_replay_with_the_same_body_returns_the_record_and_creates_nothing(as_alice, alice):
    body = cramp_body()
    first = as_alice.post("/api/v1/cramps/", body)
    again = as_alice.post("/api/v1/cramps/", body)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert CrampEpisode.objects.filter(patient=alice).count() == 1


def test_a_replay_after_an_edit_returns_the_record_as_it_is_now(as_alice, alice):
    body = cramp_body()
    as_alice.post("/api/v1/cramps/", body)
    as_alice.patch(f"/api/v1/cramps/{body['id']}/", {"severity": 9})

    again = as_alice.post("/api/v1/cramps/", body)

    assert again.status_code == 200
    assert again.json()["severity"] == 9
    assert CrampEpisode.objects.filter(patient=alice).count() == 1


def test_the_same_body_with_keys_reordered_and_another_offset_is_still_a_replay(as_alice, alice):
    body = cramp_body(started_at="2026-11-20T03:00:00+01:00")
    as_alice.post("/api/v1/cramps/", body)
    same_moment = {**dict(reversed(list(body.items()))), "started_at": "2026-11-20T02:00:00Z"}

    assert as_alice.post("/api/v1/cramps/", same_moment).status_code == 200
    assert CrampEpisode.objects.filter(patient=alice).count() == 1


def test_the_same_id_with_a_different_body_is_a_conflict(as_alice, alice):
    body = cramp_body()
    as_alice.post("/api/v1/cramps/", body)

    response = as_alice.post("/api/v1/cramps/", {**body, "severity": 2})

    assert response.status_code == 409
    assert "id" in response.json()
    assert CrampEpisode.objects.get(pk=body["id"]).severity == 5


def test_another_patients_id_neither_reveals_nor_touches_her_record(as_alice, as_carol, alice, carol):
    body = cramp_body(notes="private note")
    as_alice.post("/api/v1/cramps/", body)

    replay = as_carol.post("/api/v1/cramps/", body)
    different = as_carol.post("/api/v1/cramps/", {**body, "severity": 1})

    for response in (replay, different):
        assert response.status_code == 409
        assert "private note" not in response.content.decode()
        assert "started_at" not in response.json()
    record = CrampEpisode.objects.get(pk=body["id"])
    assert record.patient_id == alice.pk
    assert record.severity == 5
    assert not CrampEpisode.objects.filter(patient=carol).exists()


def test_the_same_id_in_two_collections_are_two_records(as_alice, alice):
    shared_id = str(uuid.uuid4())
    as_alice.post("/api/v1/cramps/", cramp_body(id=shared_id))
    response = as_alice.post(
        "/api/v1/hydration/",
        {"id": shared_id, "taken_at": timezone.now().isoformat(), "volume_ml": 250},
    )
    assert response.status_code == 201
    assert Hydration.objects.filter(patient=alice).count() == 1


def test_a_post_without_an_id_gets_a_server_chosen_one(as_alice):
    body = cramp_body()
    del body["id"]
    first = as_alice.post("/api/v1/cramps/", body).json()
    second = as_alice.post("/api/v1/cramps/", body).json()
    assert first["id"] != second["id"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_duplicates_and_orders_of_a_batch_make_exactly_the_batch(alice, data):
    size = data.draw(st.integers(min_value=1, max_value=6), label="batch size")
    batch = [cramp_body(severity=index) for index in range(size)]
    sends = data.draw(
        st.lists(st.sampled_from(range(size)), min_size=size, max_size=size * 3).map(
            lambda extra: list(range(size)) + extra
        ),
        label="sends",
    )
    order = data.draw(st.permutations(sends), label="order")
    client = client_for(alice)
    CrampEpisode.objects.filter(patient=alice).delete()

    statuses = [client.post("/api/v1/cramps/", batch[index]).status_code for index in order]

    assert statuses.count(201) == size
    assert set(statuses) <= {200, 201}
    stored = {str(pk): severity for pk, severity in CrampEpisode.objects.values_list("pk", "severity")}
    assert stored == {body["id"]: body["severity"] for body in batch}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locking is PostgreSQL's")
def test_two_concurrent_posts_of_the_same_id_make_one_row(alice):
    assert connection.vendor == "postgresql"
    data = {
        "started_at": timezone.now() - timedelta(hours=2),
        "duration_seconds": 60,
        "severity": 4,
        "muscle": "calf",
        "side": "left",
        "activity": "sleeping",
    }
    record_id = uuid.uuid4()
    barrier = threading.Barrier(8)
    results, errors = [], []

    def post():
        try:
            barrier.wait()
            results.append(
                record_create(model=CrampEpisode, patient=alice, data=dict(data), record_id=record_id)[1]
            )
        except Exception as exc:  # collected, so that the assertion shows it
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert CrampEpisode.objects.filter(pk=record_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_new_record_is_one_insert_and_a_replay_an_insert_and_a_read(alice, django_assert_num_queries):
    # As in a request: autocommit, no surrounding transaction.
    data = {"taken_at": timezone.now() - timedelta(hours=1), "volume_ml": 300}
    record_id = uuid.uuid4()
    # No look-up first (most creates are new), and the database marks the clinician summary stale.
    with django_assert_num_queries(1):
        record_create(model=Hydration, patient=alice, data=dict(data), record_id=record_id)
    with django_assert_num_queries(2):  # the refused insert, then the read
        _, created = record_create(model=Hydration, patient=alice, data=dict(data), record_id=record_id)
    assert created is False
