"""The profile's country and emergency number, the guess at sign-up from the zone, and the date of birth."""

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, transaction

from diary import emergency
from diary.models import User
from tests.test_auth import register

pytestmark = pytest.mark.django_db


def frank() -> User:
    return User.objects.get(email="frank@example.com")


@pytest.mark.parametrize(
    ("country", "number"), [("DE", "112"), ("US", "911"), ("GB", "999"), ("AU", "000"), ("FR", "112")]
)
def test_the_profile_answers_the_emergency_number_of_alices_country(as_alice, country, number):
    response = as_alice.patch("/api/v1/profile/", {"country": country}, format="json")
    assert response.status_code == 200
    assert (response.json()["country"], response.json()["emergency_number"]) == (country, number)
    assert as_alice.get("/api/v1/profile/").json()["emergency_number"] == number


def test_a_country_not_said_has_no_emergency_number(as_alice, alice):
    alice.country = "DE"
    alice.save()
    response = as_alice.patch("/api/v1/profile/", {"country": None}, format="json")
    assert response.status_code == 200
    assert (response.json()["country"], response.json()["emergency_number"]) == (None, None)


def test_a_country_outside_the_table_has_no_emergency_number_rather_than_a_guessed_one(as_alice):
    # Antarctica is a real code with no general emergency number a source states.
    response = as_alice.patch("/api/v1/profile/", {"country": "AQ"}, format="json")
    assert response.status_code == 200
    assert response.json()["emergency_number"] is None


def test_a_lower_case_country_is_kept_upper_case(as_alice, alice):
    assert as_alice.patch("/api/v1/profile/", {"country": "au"}, format="json").json()["country"] == "AU"
    alice.refresh_from_db()
    assert alice.country == "AU"


@pytest.mark.parametrize("value", ["XX", "DEU", "", "Germany", 49, "UK"])
def test_a_bad_country_is_a_400_naming_country(as_alice, alice, value):
    response = as_alice.patch("/api/v1/profile/", {"country": value}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["country"]
    alice.refresh_from_db()
    assert alice.country is None


def test_the_emergency_number_cannot_be_written(as_alice, alice):
    response = as_alice.patch("/api/v1/profile/", {"country": "DE", "emergency_number": "000"}, format="json")
    assert response.json()["emergency_number"] == "112"


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/Berlin", "DE"),
        ("America/New_York", "US"),
        ("Australia/Sydney", "AU"),
        ("Europe/London", "GB"),
        ("Asia/Calcutta", "IN"),  # an old name, a link to Asia/Kolkata
    ],
)
def test_sign_up_guesses_the_country_from_the_time_zone(anonymous, zone, country):
    assert register(anonymous, timezone=zone).status_code == 201
    assert frank().country == country


@pytest.mark.parametrize("zone", ["UTC", "Etc/GMT+5"])
def test_a_zone_of_no_one_country_leaves_the_country_not_said(anonymous, zone):
    assert register(anonymous, timezone=zone).status_code == 201
    assert frank().country is None


def test_a_country_chosen_at_sign_up_beats_the_guess(anonymous):
    # A German living in New York keeps Germany if that is what she chose.
    assert register(anonymous, timezone="America/New_York", country="de").status_code == 201
    assert frank().country == "DE"


def test_a_country_refused_at_sign_up_stays_not_said(anonymous):
    assert register(anonymous, timezone="Europe/Berlin", country=None).status_code == 201
    assert frank().country is None


def test_a_bad_country_at_sign_up_is_a_400_naming_country(anonymous):
    response = register(anonymous, country="ZZ")
    assert response.status_code == 400
    assert list(response.json()) == ["country"]
    assert not User.objects.filter(email="frank@example.com").exists()


def test_moving_to_another_zone_never_overwrites_the_chosen_country(as_alice, alice):
    as_alice.patch("/api/v1/profile/", {"country": "DE"}, format="json")
    response = as_alice.patch("/api/v1/profile/", {"timezone": "Australia/Sydney"}, format="json")
    assert (response.json()["timezone"], response.json()["country"]) == ("Australia/Sydney", "DE")


def test_the_countries_list_comes_with_the_guess_for_the_sign_up_form(anonymous):
    body = anonymous.get("/api/v1/auth/countries/", {"timezone": "Australia/Sydney"}).json()
    assert body["guess"] == "AU"
    by_code = {c["code"]: c for c in body["countries"]}
    assert by_code["AU"] == {"code": "AU", "name": "Australia", "emergency_number": "000"}
    assert by_code["AQ"]["emergency_number"] is None
    assert len(by_code) == len(emergency.country_names()) > 240


def test_the_countries_list_has_no_guess_for_utc_and_a_400_for_a_bad_zone(anonymous):
    assert anonymous.get("/api/v1/auth/countries/", {"timezone": "UTC"}).json()["guess"] is None
    response = anonymous.get("/api/v1/auth/countries/", {"timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert list(response.json()) == ["timezone"]


def test_every_country_in_the_table_is_a_real_code():
    assert set(emergency.EMERGENCY_NUMBERS) <= set(emergency.country_names())
    assert len(emergency.EMERGENCY_NUMBERS) == 30 + 9


def test_carol_changes_only_her_own_country(as_carol, alice, carol):
    response = as_carol.patch("/api/v1/profile/", {"country": "US", "id": str(alice.pk)}, format="json")
    assert response.json()["email"] == carol.email
    alice.refresh_from_db()
    carol.refresh_from_db()
    assert (alice.country, carol.country) == (None, "US")


def test_dave_cannot_change_alices_country_or_date_of_birth(as_dave, alice):
    as_dave.patch(
        "/api/v1/profile/",
        {"country": "GB", "date_of_birth": "1950-01-01", "id": str(alice.pk)},
        format="json",
    )
    alice.refresh_from_db()
    assert (alice.country, alice.date_of_birth) == (None, None)


def test_nobody_signed_out_can_change_a_country(anonymous, alice):
    assert anonymous.patch("/api/v1/profile/", {"country": "GB"}, format="json").status_code in (401, 403)


def test_the_database_refuses_a_lower_case_country(alice):
    alice.country = "de"
    with pytest.raises(IntegrityError), transaction.atomic():
        alice.save(update_fields=["country"])


def test_alice_gives_and_takes_back_her_date_of_birth(as_alice, alice):
    response = as_alice.patch("/api/v1/profile/", {"date_of_birth": "1958-04-02"}, format="json")
    assert response.json()["date_of_birth"] == "1958-04-02"
    alice.refresh_from_db()
    assert alice.date_of_birth == date(1958, 4, 2)
    assert (
        as_alice.patch("/api/v1/profile/", {"date_of_birth": None}, format="json").json()["date_of_birth"]
        is None
    )


@pytest.mark.parametrize("value", ["1899-12-31", "2026-03-11", "02/04/1958", "yesterday"])
@time_machine.travel("2026-03-10T12:00:00Z", tick=False)
def test_a_bad_date_of_birth_is_a_400_naming_it(as_alice, alice, value):
    response = as_alice.patch("/api/v1/profile/", {"date_of_birth": value}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["date_of_birth"]


@time_machine.travel("2026-03-10T23:30:00Z", tick=False)
def test_a_date_of_birth_of_today_is_today_on_alices_clock(as_alice):
    # 00:30 on 11 March in Berlin, still 10 March in UTC: a baby born today in Berlin can be entered.
    assert (
        as_alice.patch("/api/v1/profile/", {"date_of_birth": "2026-03-11"}, format="json").status_code == 200
    )
