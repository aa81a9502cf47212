"""The weekly word: its sentences for given diaries (unknown days and nights said as unknown, a new
insight named), skipped when there is nothing to say, a generic lock screen with the words behind the tap
or in the email, one weekday only, and once a week per patient across daylight-saving changes."""

import json
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from diary.models import (
    CheckIn,
    CompressionWear,
    CrampEpisode,
    Delivery,
    Hydration,
    PushSubscription,
    Reminder,
)
from diary.selectors.weekly import weekly_summary
from diary.services import deliveries, reminders
from diary.services.records import record_create
from tests.conftest import make_user
from tests.push_service import FakePushService

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
# Sunday 18 October 2026, 19:00 in Berlin (summer time): the summary of 12-18 October.
SUNDAY_18_OCT_19H = datetime(2026, 10, 18, 19, 0, tzinfo=BERLIN)
# Words that would tell someone glancing at a lock screen about the patient's health.
HEALTH_WORDS = ("cramp", "night", "stocking", "fluid", "drink", "insight", "logged", "swelling", "vein")


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def log(patient, model, **data):
    return record_create(model=model, patient=patient, data=data)[0]


def night_cramp(patient, moment):
    log(patient, CrampEpisode, started_at=moment, woke_from_sleep=True)


def checkin(patient, moment, cramps_last_night):
    log(patient, CheckIn, recorded_at=moment, cramps_last_night=cramps_last_night)


def stockings(patient, day):
    log(
        patient,
        CompressionWear,
        started_at=at(day, 8),
        ended_at=at(day, 18),
        pressure_class="20-30",
        garment="knee",
        legs="both",
    )


def drink(patient, day, ml):
    log(patient, Hydration, taken_at=at(day, 12), volume_ml=ml)


@pytest.fixture
def alices_fortnight(alice):
    """12-18 Oct: night cramps on the nights of 13 and 15 Oct, "none" answered for the nights of 12, 14
    and 16 Oct (the nights of 11 and 17 Oct are unknown); stockings on 13 and 15 Oct; drinks on 13 Oct
    (2,000 ml, the target) and 15 Oct (1,500 ml). 5-11 Oct: one morning, 8 Oct, answering "some"."""
    checkin(alice, at(8, 8), "some")
    checkin(alice, at(13, 8), "none")
    night_cramp(alice, at(14, 3))
    checkin(alice, at(15, 8), "none")
    night_cramp(alice, at(16, 3))
    checkin(alice, at(17, 8), "none")
    stockings(alice, 13)
    stockings(alice, 15)
    drink(alice, 13, 2000)
    drink(alice, 15, 1500)
    return alice


def test_the_words_count_the_week_against_the_one_before_and_say_what_is_unknown(alices_fortnight):
    summary = weekly_summary(alices_fortnight, day=SUNDAY_18_OCT_19H.date(), now=SUNDAY_18_OCT_19H)

    assert summary["title"] == "Your week, 12–18 Oct"
    assert summary["has_content"] is True
    assert summary["sentences"] == [
        "You logged on 5 of 7 days this week (1 of 7 the week before).",
        "Cramp nights: 2 of the 5 nights you told the app about, against 1 of 1 the week before. "
        "2 nights this week are unknown, not cramp-free.",
        "Stockings: logged on 2 days, against 0 the week before.",
        "You reached your fluid target (2,000 ml) on 1 of the 2 days with drinks logged.",
        "No new insight this week.",
        "These are counts of what you logged, not a diagnosis.",
    ]
    assert summary["this_week"]["known_nights"] == 5
    assert summary["this_week"]["cramp_nights"] == 2


def test_a_night_with_nothing_logged_is_unknown_not_cramp_free(alice):
    # One night cramp logged this week, nothing else: one known night, six unknown (not six calm ones).
    night_cramp(alice, at(14, 3))

    summary = weekly_summary(alice, day=SUNDAY_18_OCT_19H.date(), now=SUNDAY_18_OCT_19H)

    assert summary["sentences"][:2] == [
        "You logged on 1 of 7 days this week (0 of 7 the week before).",
        "Cramp nights: 1 of 1 night you told the app about; no night of the week before is known, so "
        "there is nothing to compare with. 6 nights this week are unknown, not cramp-free.",
    ]
    assert summary["sentences"][3] == (
        "No drinks were logged this week, so whether you reached your fluid target (2,000 ml) is unknown."
    )


def test_a_week_with_no_night_known_says_cramp_nights_cannot_be_counted(alice):
    drink(alice, 14, 500)

    sentences = weekly_summary(alice, day=SUNDAY_18_OCT_19H.date(), now=SUNDAY_18_OCT_19H)["sentences"]

    assert sentences[1] == (
        "No night of this week is known (no night cramp logged and no morning answer), so cramp nights "
        "cannot be counted."
    )
    assert sentences[2] == "No stockings were logged in either week."


def test_an_insight_that_holds_now_and_did_not_a_week_before_is_named(alice):
    # Skin changes reported on Thursday: the rule fires this week, and did not a week ago.
    log(alice, CheckIn, recorded_at=at(15, 9), skin_changes=True)

    summary = weekly_summary(alice, day=SUNDAY_18_OCT_19H.date(), now=SUNDAY_18_OCT_19H)

    assert [item["code"] for item in summary["new_insights"]] == ["skin_changes"]
    assert summary["sentences"][4] == (
        "New since last week: “Skin changes on your legs: have them checked”. Open Trends to read what it "
        "saw and what to do."
    )
    # A week later it still holds, and is not new any more.
    later = weekly_summary(alice, day=at(25, 19).date(), now=at(25, 19))
    assert later["new_insights"] == []
    assert "No new insight this week." in later["sentences"]


def test_an_entry_logged_after_the_week_is_not_read_into_it(alice):
    checkin(alice, at(19, 8), "some")  # Monday morning, after the summary of the week to Sunday

    summary = weekly_summary(alice, day=SUNDAY_18_OCT_19H.date(), now=at(20, 12))

    assert summary["has_content"] is False


def test_two_weeks_with_nothing_logged_have_nothing_to_say(alice):
    night_cramp(alice, at(2, 3))  # three weeks earlier: outside the two weeks

    summary = weekly_summary(alice, day=SUNDAY_18_OCT_19H.date(), now=SUNDAY_18_OCT_19H)

    assert summary["has_content"] is False
    assert summary["sentences"] == ["Nothing was logged in these two weeks, so there is nothing to sum up."]


def weekly_reminder(patient, *, channels=("push",), created=SUNDAY_18_OCT_19H - timedelta(hours=2)):
    with time_machine.travel(created, tick=False):
        return reminders.reminder_create(
            patient=patient,
            data={
                "kind": "weekly_summary",
                "local_time": time(19, 0),
                "weekdays": [6],
                "channels": list(channels),
            },
        )


def dispatch_at(moment) -> list:
    with time_machine.travel(moment, tick=False):
        return reminders.dispatch_due(now=moment).pending


def test_a_fortnight_with_nothing_logged_is_skipped_with_its_reason(alice):
    reminder = weekly_reminder(alice)

    assert dispatch_at(SUNDAY_18_OCT_19H) == []

    [delivery] = Delivery.objects.filter(reminder=reminder)
    assert delivery.status == "skipped"
    assert delivery.reason == "nothing to say: nothing logged in the two weeks"


def test_one_entry_in_the_fortnight_is_enough_to_send_it(alice):
    drink(alice, 6, 250)  # Tuesday of the week before
    reminder = weekly_reminder(alice)

    [pending] = dispatch_at(SUNDAY_18_OCT_19H)

    assert Delivery.objects.get(pk=pending).reminder == reminder


def test_the_push_says_only_that_the_summary_is_ready_and_opens_it(alices_fortnight):
    with FakePushService() as push_service:
        info = push_service.subscribe("alices-phone")
        PushSubscription.objects.create(
            patient=alices_fortnight,
            endpoint=info["endpoint"],
            p256dh=info["keys"]["p256dh"],
            auth=info["keys"]["auth"],
        )
        weekly_reminder(alices_fortnight)
        [pending] = dispatch_at(SUNDAY_18_OCT_19H)
        with time_machine.travel(SUNDAY_18_OCT_19H, tick=False):
            deliveries.delivery_send(delivery_id=pending)
        [message] = push_service.received

    assert Delivery.objects.get(pk=pending).status == "sent"
    payload = message.payload
    assert payload["title"] == "Crampwise"
    assert payload["body"] == "Your weekly Crampwise summary is ready"
    assert payload["url"] == "/summary/weekly?week=2026-10-18"
    assert "actions" not in payload and "action_token" not in payload
    text = json.dumps(payload).lower().replace("crampwise", "")  # the app's name is not a symptom
    assert not [word for word in HEALTH_WORDS if word in text], text


def test_the_email_carries_the_words(alices_fortnight):
    weekly_reminder(alices_fortnight, channels=("email",))
    [pending] = dispatch_at(SUNDAY_18_OCT_19H)
    with time_machine.travel(SUNDAY_18_OCT_19H, tick=False):
        deliveries.delivery_send(delivery_id=pending)

    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == "Your weekly Crampwise summary"
    assert "Your week, 12–18 Oct" in email.body
    assert "You logged on 5 of 7 days this week (1 of 7 the week before)." in email.body
    assert "2 nights this week are unknown, not cramp-free." in email.body
    assert "/summary/weekly?week=2026-10-18" in email.body
    assert Delivery.objects.get(pk=pending).status == "sent"


# --- The API ---------------------------------------------------------------------------------------


def test_the_patient_reads_a_weeks_summary(alices_fortnight, as_alice):
    with time_machine.travel(datetime(2026, 10, 20, 10, tzinfo=UTC), tick=False):
        response = as_alice.get("/api/v1/summaries/weekly/?week=2026-10-18")

    assert response.status_code == 200
    body = response.json()
    assert body["week"] == "2026-10-18"
    assert body["timezone"] == "Europe/Berlin"
    assert body["sentences"][0] == "You logged on 5 of 7 days this week (1 of 7 the week before)."


def test_a_week_not_yet_over_or_a_bad_date_is_refused_naming_week(as_alice):
    with time_machine.travel(datetime(2026, 10, 20, 10, tzinfo=UTC), tick=False):
        future = as_alice.get("/api/v1/summaries/weekly/?week=2026-10-25")
        bad = as_alice.get("/api/v1/summaries/weekly/?week=next-sunday")

    assert future.status_code == 400 and "week" in future.json()
    assert bad.status_code == 400 and "week" in bad.json()


def test_carol_reads_her_own_empty_summary_never_alices(alices_fortnight, as_carol):
    with time_machine.travel(datetime(2026, 10, 20, 10, tzinfo=UTC), tick=False):
        body = as_carol.get("/api/v1/summaries/weekly/?week=2026-10-18").json()

    assert body["has_content"] is False
    assert body["timezone"] == "America/New_York"


@pytest.mark.parametrize("weekdays", [[], [5, 6], list(range(7))])
def test_a_weekly_summary_needs_exactly_one_weekday(as_alice, weekdays):
    response = as_alice.post(
        "/api/v1/reminders/",
        {"kind": "weekly_summary", "local_time": "19:00", "weekdays": weekdays},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["weekdays"]


def test_a_weekly_summary_left_without_weekdays_is_refused_rather_than_sent_daily(as_alice):
    response = as_alice.post(
        "/api/v1/reminders/", {"kind": "weekly_summary", "local_time": "19:00"}, format="json"
    )

    assert response.status_code == 400
    assert "weekdays" in response.json()


def test_changing_a_daily_reminder_into_a_weekly_summary_needs_one_weekday(as_alice):
    created = as_alice.post("/api/v1/reminders/", {"kind": "stretch", "local_time": "21:00"}, format="json")
    url = f"/api/v1/reminders/{created.json()['id']}/"

    refused = as_alice.patch(url, {"kind": "weekly_summary"}, format="json")
    accepted = as_alice.patch(
        url, {"kind": "weekly_summary", "weekdays": [6], "local_time": "19:00"}, format="json"
    )

    assert refused.status_code == 400 and "weekdays" in refused.json()
    assert accepted.status_code == 200
    assert accepted.json()["weekdays"] == [6]


def test_a_patient_has_one_weekly_summary(as_alice):
    body = {"kind": "weekly_summary", "local_time": "19:00", "weekdays": [6], "channels": ["email"]}
    first = as_alice.post("/api/v1/reminders/", body, format="json")
    second = as_alice.post("/api/v1/reminders/", body, format="json")

    assert first.status_code == 201
    assert second.status_code == 400 and "kind" in second.json()


def test_the_database_itself_holds_one_weekly_summary_per_patient(alice):
    """Two requests at once can both pass the serializer's check; the second row is still refused."""
    Reminder.objects.create(patient=alice, kind="weekly_summary", local_time=time(19), weekdays=[6])

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(patient=alice, kind="weekly_summary", local_time=time(20), weekdays=[6])


# --- Once a week, across daylight-saving changes ---------------------------------------------------


def test_once_a_week_per_patient_at_sunday_19_local_across_the_autumn_changes(alice, carol):
    """Berlin leaves summer time on 25 Oct 2026, New York on 1 Nov: the dispatcher, run every hour for six
    weeks around both, sends each patient one summary a week, each at 19:00 on their own Sunday."""
    start = datetime(2026, 10, 5, 0, 0, tzinfo=UTC)  # Monday
    end = start + timedelta(weeks=6, days=1)  # New York's last Sunday, 19:00, is Monday 00:00 UTC
    rio = make_user("rio@example.com", "patient", timezone="America/Sao_Paulo")  # no change at all
    patients = (alice, carol, rio)
    for patient in patients:
        for day in range(0, 42, 3):  # something logged every third day: never nothing to say
            moment = start + timedelta(days=day, hours=12)
            log(patient, Hydration, taken_at=moment, volume_ml=250)
        weekly_reminder(patient, created=start)

    moment = start
    while moment < end:
        dispatch_at(moment)
        moment += timedelta(hours=1)

    sent = list(Delivery.objects.select_related("reminder__patient").order_by("scheduled_for"))
    per_week = Counter()
    for delivery in sent:
        patient = delivery.reminder.patient
        local = timezone.localtime(delivery.scheduled_for, patient.zone)
        assert (local.weekday(), local.time()) == (6, time(19, 0)), (patient.email, local)
        assert delivery.status == "pending", (patient.email, local, delivery.reason)
        per_week[(patient.email, local.date())] += 1
    sundays = [(start + timedelta(days=6 + 7 * week)).date() for week in range(6)]
    assert per_week == Counter({(p.email, sunday): 1 for p in patients for sunday in sundays})
    # The changes moved the UTC hour, not the local one.
    berlin = [d.scheduled_for.hour for d in sent if d.reminder.patient == alice]
    new_york = [d.scheduled_for.hour for d in sent if d.reminder.patient == carol]
    assert berlin == [17, 17, 18, 18, 18, 18]
    assert new_york == [23, 23, 23, 0, 0, 0]
