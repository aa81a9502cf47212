"""manage.py load_demo: the demo people, the stories their diaries tell, and loading again."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from diary.models import (
    DIARY_MODELS,
    CareLink,
    CheckIn,
    CompressionWear,
    CrampEpisode,
    Hydration,
    Role,
    UrgentAlert,
    User,
)

pytestmark = pytest.mark.django_db

PEOPLE = {
    "alice@example.com": Role.PATIENT,
    "grace@example.com": Role.PATIENT,
    "erin@example.com": Role.PATIENT,
    "ines@example.com": Role.PATIENT,
    "carol@example.com": Role.PATIENT,
    "bob@example.com": Role.CLINICIAN,
    "dave@example.com": Role.CLINICIAN,
}


@pytest.fixture(autouse=True)
def now():
    # One clock for the whole test: two loads a few milliseconds apart must see the same "today".
    moment = timezone.now()
    with time_machine.travel(moment, tick=False):
        yield moment


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def person(email: str) -> User:
    return User.objects.get(email=email)


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (User, CareLink, *DIARY_MODELS)}


def cramp_nights(patient: User, *, first, last) -> set:
    return set(
        CrampEpisode.objects.filter(
            patient=patient, is_nocturnal=True, night__gte=first, night__lte=last
        ).values_list("night", flat=True)
    )


def mean_severity(patient: User, *, first, last) -> float:
    cramps = CrampEpisode.objects.filter(patient=patient, night__gte=first, night__lte=last)
    return sum(cramp.severity for cramp in cramps) / len(cramps)


def test_it_creates_the_seven_people_and_the_admin_with_their_roles():
    load()

    for email, role in PEOPLE.items():
        user = person(email)
        assert user.role == role
        assert user.display_name
        assert user.check_password("crampwise-demo")
        assert not user.is_staff
    admin = person("admin@example.com")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password("crampwise-demo")
    assert User.objects.count() == 8
    assert person("alice@example.com").timezone == "Europe/Berlin"
    assert person("erin@example.com").timezone == "America/New_York"


def test_it_links_bob_to_alice_grace_erin_and_ines():
    load()

    patients = CareLink.objects.filter(clinician__email="bob@example.com").values_list(
        "patient__email", flat=True
    )
    assert sorted(patients) == [
        "alice@example.com",
        "erin@example.com",
        "grace@example.com",
        "ines@example.com",
    ]
    assert not CareLink.objects.filter(clinician__email="dave@example.com").exists()
    assert not CareLink.objects.filter(patient__email="carol@example.com").exists()
    assert CareLink.objects.count() == 4


def test_alices_night_cramps_ease_after_she_starts_compression(now):
    load()
    alice = person("alice@example.com")
    today = now.astimezone(ZoneInfo("Europe/Berlin")).date()
    first = today - timedelta(days=120)

    early = cramp_nights(alice, first=first, last=first + timedelta(days=27))
    late = cramp_nights(alice, first=today - timedelta(days=28), last=today - timedelta(days=1))
    assert len(early) >= 20
    assert len(early) >= 1.5 * len(late)
    assert mean_severity(alice, first=first, last=first + timedelta(days=27)) > mean_severity(
        alice, first=today - timedelta(days=28), last=today - timedelta(days=1)
    )
    wear = CompressionWear.objects.filter(patient=alice)
    assert not wear.filter(local_date__lte=first + timedelta(days=28)).exists()
    assert wear.filter(local_date__gte=today - timedelta(days=28)).count() >= 15
    assert set(wear.values_list("pressure_class", "garment")) == {("20-30", "knee")}


def test_alices_morning_answers_match_the_cramps_she_logged():
    load()
    alice = person("alice@example.com")
    answers = CheckIn.objects.filter(patient=alice, cramps_last_night__isnull=False)

    said_some = {
        checkin.local_date - timedelta(days=1) for checkin in answers if checkin.cramps_last_night == "some"
    }
    logged = set(
        CrampEpisode.objects.filter(patient=alice, is_nocturnal=True).values_list("night", flat=True)
    )
    assert said_some == logged & {checkin.local_date - timedelta(days=1) for checkin in answers}
    evenings = CheckIn.objects.filter(patient=alice, cramps_last_night__isnull=True)
    assert evenings.count() >= 100
    assert all(1 <= c.swelling_left <= 2 and 3 <= c.heaviness <= 6 and c.visible_veins for c in evenings)


def test_graces_cramps_come_while_walking_or_exercising_and_ease_with_rest():
    load()
    cramps = CrampEpisode.objects.filter(patient=person("grace@example.com"))

    assert 2 * 17 <= cramps.count() <= 3 * 17
    assert {cramp.activity for cramp in cramps} == {"walking", "exercising"}
    assert all(
        cramp.relieved_by_rest and cramp.muscle == "calf" and not cramp.is_nocturnal for cramp in cramps
    )


def test_erin_reported_a_swollen_painful_left_calf_yesterday(now):
    load()
    yesterday = now.astimezone(ZoneInfo("America/New_York")).date() - timedelta(days=1)

    checkin = CheckIn.objects.get(patient=person("erin@example.com"), local_date=yesterday, swelling_left=3)
    assert checkin.swelling_right == 0
    assert (checkin.circumference_left_cm, checkin.circumference_right_cm) == (41.5, 37.0)
    # Both calves: like with like (issue 21).
    assert (checkin.circumference_site_left, checkin.circumference_site_right) == ("calf", "calf")
    assert checkin.calf_pain_or_tenderness and checkin.sudden_onset and checkin.redness_or_warmth
    assert not checkin.sudden_chest_pain_or_breathlessness


def test_erins_urgent_check_in_told_bob_once_and_nobody_else():
    load()
    load()  # loading again tells nobody again

    alerts = UrgentAlert.objects.all()
    assert [(a.patient.email, a.clinician.email, a.code, a.reviewed_at) for a in alerts] == [
        ("erin@example.com", "bob@example.com", "urgent_dvt_warning", None)
    ]
    assert sorted(d.channel for d in alerts[0].deliveries.all()) == ["email", "push"]


@pytest.mark.parametrize(
    "moment",
    [
        None,
        # Just after local midnight in Berlin on the night the clocks go forward.
        datetime(2026, 3, 29, 0, 5, tzinfo=UTC),
        # Just after midnight in New York: "today" there is a few minutes old.
        datetime(2026, 11, 2, 5, 3, tzinfo=UTC),
    ],
)
def test_no_record_is_in_the_future(now, moment):
    moment = moment or now
    with time_machine.travel(moment, tick=False):
        load()

    for model in DIARY_MODELS:
        assert not model.objects.filter(**{f"{model.TIME_FIELD}__gt": moment}).exists()
    assert not CompressionWear.objects.filter(ended_at__gt=moment).exists()
    assert Hydration.objects.filter(taken_at__gt=moment - timedelta(days=1)).exists()


def test_loading_twice_changes_nothing():
    load()
    before = table_counts()

    output = load()

    assert table_counts() == before
    assert "0 accounts created" in output


def test_reset_loads_the_same_diary_again():
    load()
    before = table_counts()
    cramps = list(
        CrampEpisode.objects.filter(patient__email="alice@example.com")
        .order_by("started_at")
        .values_list("id", "started_at", "severity", "night")
    )
    old_alice = person("alice@example.com").pk

    load("--reset")

    assert person("alice@example.com").pk != old_alice
    assert table_counts() == before
    assert cramps == list(
        CrampEpisode.objects.filter(patient__email="alice@example.com")
        .order_by("started_at")
        .values_list("id", "started_at", "severity", "night")
    )


def test_if_empty_does_nothing_when_any_user_exists():
    User.objects.create_user(email="someone@example.org", password="x")

    output = load("--if-empty")

    assert "no demo data" in output
    assert User.objects.count() == 1
    assert not CrampEpisode.objects.exists()


def test_if_empty_loads_into_an_empty_database():
    load("--if-empty")

    assert User.objects.count() == 8
    assert CrampEpisode.objects.exists()


def test_an_account_already_there_is_left_as_it_is():
    User.objects.create_user(email="alice@example.com", password="hers", display_name="Alice Herself")

    output = load()

    alice = person("alice@example.com")
    assert alice.display_name == "Alice Herself"
    assert alice.check_password("hers")
    assert not CrampEpisode.objects.filter(patient=alice).exists()
    assert CrampEpisode.objects.filter(patient__email="grace@example.com").exists()
    assert "alice@example.com (already there" in output


def test_alice_and_grace_have_email_reminders_scheduled_in_their_own_zones(now):
    from diary.models import Reminder

    load()
    alice_reminders = Reminder.objects.filter(patient=person("alice@example.com"))
    assert alice_reminders.count() == 11
    assert set(alice_reminders.values_list("kind", flat=True)) >= {
        "compression_on",
        "morning_checkin",
        "stretch",
    }
    for reminder in Reminder.objects.all():
        assert reminder.channels == ["email"]
        assert now < reminder.next_fire_at <= now + timedelta(days=1)
        assert reminder.next_fire_at.astimezone(reminder.patient.zone).time() == reminder.local_time
    assert not Reminder.objects.filter(patient=person("carol@example.com")).exists()


def test_the_demo_diaries_tell_their_stories_through_the_insight_rules(now):
    from diary import insights
    from diary.selectors.facts import patient_facts

    load()

    def found(email: str) -> set[str]:
        return {insight.code for insight in insights.evaluate(patient_facts(person(email), now=now))}

    erin = found("erin@example.com")
    assert "urgent_dvt_warning" in erin
    assert "swollen_painful_leg" not in erin  # the urgent warning speaks for her leg alone
    grace = found("grace@example.com")
    assert "arterial_evaluation" in grace
    assert "venous_evaluation" not in grace  # walking cramps point elsewhere
    # Three days ago a swollen, tender right calf that came on slowly: advice, not the urgent warning.
    assert "swollen_painful_leg" in grace
    assert not grace & {"urgent_dvt_warning", "emergency_warning"}
    # Breathless nine days ago, both legs suddenly swollen and painful yesterday: two pieces of advice.
    assert found("ines@example.com") == {"chest_pain_follow_up", "both_legs_swollen"}
    alice = found("alice@example.com")
    assert "venous_evaluation" in alice
    assert not alice & {"urgent_dvt_warning", "emergency_warning"}
    assert found("carol@example.com") <= {"low_hydration_pattern", "compression_association"}


def test_bob_sees_erin_first_in_his_list(now):
    from rest_framework.test import APIClient

    load()
    client = APIClient()
    client.force_authenticate(person("bob@example.com"))
    rows = client.get("/api/v1/clinician/patients/").json()["results"]
    assert rows[0]["email"] == "erin@example.com"
    assert rows[0]["highest_level"] == "urgent"
    assert {row["email"] for row in rows} == {
        "alice@example.com",
        "grace@example.com",
        "erin@example.com",
        "ines@example.com",
    }
