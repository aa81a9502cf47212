"""Not said is not an answer: what the patient left out is null, stored, shown and exported as unknown,
and it never fires a rule nor keeps one quiet (docs/decisions/0022-not-said.md)."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from fhir.resources.R4B.bundle import Bundle

from diary.exports.pdf import evidence_words
from diary.exports.tabular import records_as_csv
from diary.insights import (
    CrampFact,
    one_sided_swelling,
    rule_arterial_evaluation,
    rule_frequent_severe_cramps,
    rule_urgent_dvt_warning,
    rule_venous_evaluation,
    urgent_for_checkin,
    venous_signs,
)
from diary.models import CheckIn, CrampEpisode, User
from diary.selectors.facts import patient_facts
from diary.selectors.trends import trend_series
from diary.services.records import record_create
from tests.test_clinician_exports import EXPORT, components, observations, pdf_text
from tests.test_insight_rules import ago, checkin, day_cramp, diary, night_cramp

pytestmark = pytest.mark.django_db

CRAMP_NOT_SAID = ("severity", "duration_seconds", "muscle", "side", "activity")
CHECKIN_NOT_SAID = ("swelling_left", "swelling_right", "heaviness", "aching", "itching")


def hours_ago(hours: float) -> str:
    return (timezone.now() - timedelta(hours=hours)).isoformat()


def quick_cramp(patient: User, started_at: datetime, **said) -> CrampEpisode:
    return record_create(model=CrampEpisode, patient=patient, data={"started_at": started_at, **said})[0]


def bare_checkin(patient: User, recorded_at: datetime, **said) -> CheckIn:
    return record_create(model=CheckIn, patient=patient, data={"recorded_at": recorded_at, **said})[0]


# --- The API ------------------------------------------------------------------------------------


def test_a_cramp_with_only_its_time_is_stored_with_nothing_invented(as_alice, alice):
    response = as_alice.post("/api/v1/cramps/", {"started_at": hours_ago(2)}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {name: body[name] for name in CRAMP_NOT_SAID} == dict.fromkeys(CRAMP_NOT_SAID)
    stored = CrampEpisode.objects.get(pk=body["id"])
    assert {name: getattr(stored, name) for name in CRAMP_NOT_SAID} == dict.fromkeys(CRAMP_NOT_SAID)
    shown = as_alice.get(f"/api/v1/cramps/{body['id']}/").json()
    assert {name: shown[name] for name in CRAMP_NOT_SAID} == dict.fromkeys(CRAMP_NOT_SAID)


def test_a_cramp_may_say_null_for_each_part_it_does_not_know(as_alice):
    body = {"started_at": hours_ago(2), **dict.fromkeys(CRAMP_NOT_SAID)}
    response = as_alice.post("/api/v1/cramps/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["severity"] is None


@pytest.mark.parametrize("field", ["muscle", "side", "activity"])
def test_an_empty_string_is_not_a_way_of_not_saying(as_alice, field):
    response = as_alice.post("/api/v1/cramps/", {"started_at": hours_ago(2), field: ""}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_quick_cramp_replays_alike_whether_it_leaves_the_parts_out_or_sends_null(as_alice, alice):
    record_id = str(uuid.uuid4())
    started_at = hours_ago(2)
    first = as_alice.post("/api/v1/cramps/", {"id": record_id, "started_at": started_at}, format="json")
    again = as_alice.post(
        "/api/v1/cramps/",
        {"id": record_id, "started_at": started_at, **dict.fromkeys(CRAMP_NOT_SAID)},
        format="json",
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert CrampEpisode.objects.filter(patient=alice).count() == 1


def test_a_patch_fills_in_what_was_not_said_and_leaves_the_rest_unsaid(as_alice):
    created = as_alice.post("/api/v1/cramps/", {"started_at": hours_ago(9)}, format="json").json()
    patched = as_alice.patch(
        f"/api/v1/cramps/{created['id']}/", {"side": "right", "severity": 7}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    stored = CrampEpisode.objects.get(pk=created["id"])
    assert (stored.side, stored.severity) == ("right", 7)
    assert (stored.muscle, stored.activity, stored.duration_seconds) == (None, None, None)
    # And an answer given by mistake can be taken back.
    as_alice.patch(f"/api/v1/cramps/{created['id']}/", {"severity": None}, format="json")
    stored.refresh_from_db()
    assert stored.severity is None


def test_a_check_in_with_no_slider_touched_stores_not_answered(as_alice):
    response = as_alice.post("/api/v1/checkins/", {"recorded_at": hours_ago(1)}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {name: body[name] for name in CHECKIN_NOT_SAID} == dict.fromkeys(CHECKIN_NOT_SAID)
    assert body["insights"] == []
    stored = CheckIn.objects.get(pk=body["id"])
    assert {name: getattr(stored, name) for name in CHECKIN_NOT_SAID} == dict.fromkeys(CHECKIN_NOT_SAID)

    patched = as_alice.patch(f"/api/v1/checkins/{body['id']}/", {"swelling_left": 1, "heaviness": 3})
    assert patched.status_code == 200, patched.json()
    stored.refresh_from_db()
    assert (stored.swelling_left, stored.heaviness, stored.swelling_right) == (1, 3, None)


def test_a_check_in_with_calf_pain_and_sudden_onset_warns_though_swelling_was_left_out(as_alice):
    response = as_alice.post(
        "/api/v1/checkins/",
        {"recorded_at": hours_ago(1), "calf_pain_or_tenderness": True, "sudden_onset": True},
        format="json",
    )
    assert response.status_code == 201
    assert [insight["code"] for insight in response.json()["insights"]] == ["urgent_dvt_warning"]


def test_the_schema_shows_every_not_said_field_as_optional_and_nullable():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for component, fields in (("CrampRequest", CRAMP_NOT_SAID), ("CheckInRequest", CHECKIN_NOT_SAID)):
        shape = schema["components"]["schemas"][component]
        assert not set(fields) & set(shape.get("required", [])), component
        for name in fields:
            assert shape["properties"][name].get("nullable") is True, (component, name)


def test_the_database_takes_null_for_each_not_said_field(alice):
    base = {"patient": alice, "local_date": timezone.now().date(), "create_fingerprint": "x"}
    CrampEpisode.objects.create(
        **base, started_at=timezone.now(), night=timezone.now().date(), is_nocturnal=False
    )
    CheckIn.objects.create(**base, recorded_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        CrampEpisode.objects.create(
            **base, started_at=timezone.now(), night=timezone.now().date(), is_nocturnal=False, muscle=""
        )


# --- Nights -------------------------------------------------------------------------------------


def test_a_quick_cramp_at_3_in_the_morning_is_nocturnal_and_one_at_3_in_the_afternoon_is_not(alice):
    zone = alice.zone
    today = timezone.localtime(timezone.now(), zone).date()
    night = quick_cramp(
        alice, datetime.combine(today - timedelta(days=1), datetime.min.time(), zone) + timedelta(hours=3)
    )
    day = quick_cramp(
        alice, datetime.combine(today - timedelta(days=1), datetime.min.time(), zone) + timedelta(hours=15)
    )
    assert (night.is_nocturnal, day.is_nocturnal) == (True, False)


# --- The rules: a null never fires one, never silences one ---------------------------------------


def unknown_severity(cramp: CrampFact) -> CrampFact:
    return CrampFact(**{**cramp.__dict__, "severity": None})


def test_cramps_of_unknown_severity_are_never_severe():
    facts = diary(cramps=[unknown_severity(night_cramp(ago(n))) for n in range(1, 7)])
    assert rule_frequent_severe_cramps(facts) is None


def test_cramps_of_unknown_severity_still_count_as_episodes_and_do_not_hide_the_severe_ones():
    severe = [night_cramp(ago(n), severity=8) for n in range(1, 7)]
    unknown = [unknown_severity(night_cramp(ago(n))) for n in range(7, 12)]
    insight = rule_frequent_severe_cramps(diary(cramps=severe + unknown))
    assert insight is not None
    assert insight.evidence["by_severity"] is True
    assert (insight.evidence["episodes"], insight.evidence["severity_not_said"]) == (11, 5)

    by_count = rule_frequent_severe_cramps(
        diary(cramps=[unknown_severity(night_cramp(ago(n))) for n in range(1, 13)])
    )
    assert by_count is not None
    assert (by_count.evidence["by_count"], by_count.evidence["severe_episodes"]) == (True, 0)


def test_cramps_of_unknown_activity_are_not_walking_cramps():
    facts = diary(cramps=[day_cramp(ago(n), activity=None) for n in (2, 5, 9, 12)])
    assert rule_arterial_evaluation(facts) is None


def test_cramps_of_unknown_activity_do_not_hide_the_walking_ones():
    walking = [day_cramp(ago(n)) for n in (2, 5, 9)]
    unknown = [day_cramp(ago(n), activity=None) for n in (3, 6, 10, 13)]
    insight = rule_arterial_evaluation(diary(cramps=walking + unknown))
    assert insight is not None
    assert insight.evidence["walking_episodes"] == 3


def eight_cramp_nights() -> list[CrampFact]:
    return [night_cramp(ago(n)) for n in range(1, 9)]


def test_unanswered_swelling_heaviness_and_aching_are_no_venous_sign():
    checkins = [checkin(ago(n), hour=20) for n in range(0, 14)]
    facts = diary(cramps=eight_cramp_nights(), checkins=checkins)
    assert venous_signs(facts).present() == []
    assert rule_venous_evaluation(facts) is None


@pytest.mark.parametrize(
    ("answers", "sign"),
    [
        ({"swelling_left": 1}, "swelling"),  # the right leg not answered
        ({"swelling_right": 2}, "swelling"),
        ({"aching": 5}, "heaviness_or_aching"),  # heaviness not answered
        ({"heaviness": 4}, "heaviness_or_aching"),
    ],
    ids=["left-swelling-only", "right-swelling-only", "aching-only", "heaviness-only"],
)
def test_one_answered_score_is_enough_for_a_venous_sign(answers, sign):
    checkins = [checkin(ago(n), hour=20, **answers) for n in range(0, 7)]
    insight = rule_venous_evaluation(diary(cramps=eight_cramp_nights(), checkins=checkins))
    assert insight is not None
    assert insight.evidence["signs"] == [sign]


def test_calf_pain_with_sudden_onset_warns_of_a_dvt_though_swelling_was_not_answered():
    facts = diary(checkins=[checkin(ago(1), calf_pain_or_tenderness=True, sudden_onset=True)])
    insight = rule_urgent_dvt_warning(facts)
    assert insight is not None
    assert insight.evidence["leg"] is None
    assert insight.evidence["swelling_said"] is False
    assert "did not say whether one leg was swollen" in insight.explanation
    assert "more swollen" not in insight.explanation
    assert urgent_for_checkin(facts.checkins[0], previous_dvt=False)[0].code == "urgent_dvt_warning"


def test_calf_pain_with_redness_warns_of_a_dvt_when_only_one_leg_was_answered():
    facts = diary(
        checkins=[checkin(ago(1), swelling_left=0, calf_pain_or_tenderness=True, redness_or_warmth=True)]
    )
    assert rule_urgent_dvt_warning(facts) is not None


def test_unanswered_swelling_does_not_make_calf_pain_alone_a_dvt_warning_even_after_a_previous_dvt():
    # With swelling known to be one-sided, pain is enough after a previous DVT; unknown is not one-sided.
    for answers in ({}, {"swelling_left": 3}, {"swelling_right": 2}):
        facts = diary(checkins=[checkin(ago(1), calf_pain_or_tenderness=True, **answers)], previous_dvt=True)
        assert one_sided_swelling(facts.checkins[0]) is None
        assert rule_urgent_dvt_warning(facts) is None


def test_unanswered_swelling_without_calf_pain_is_no_dvt_warning():
    facts = diary(checkins=[checkin(ago(1), sudden_onset=True, redness_or_warmth=True)], previous_dvt=True)
    assert rule_urgent_dvt_warning(facts) is None


def test_measured_legs_decide_when_the_swelling_levels_were_not_answered():
    signs = {"calf_pain_or_tenderness": True, "sudden_onset": True}
    calves = {"circumference_site_left": "calf", "circumference_site_right": "calf"}
    larger = checkin(ago(1), circumference_left_cm=41.0, circumference_right_cm=37.5, **calves, **signs)
    alike = checkin(ago(1), circumference_left_cm=38.0, circumference_right_cm=37.5, **calves, **signs)
    warned = rule_urgent_dvt_warning(diary(checkins=[larger]))
    assert warned is not None
    assert (warned.evidence["leg"], warned.evidence["swelling_difference"]) == ("left", None)
    assert rule_urgent_dvt_warning(diary(checkins=[alike])) is None


def test_the_rules_read_a_quick_logged_diary_from_the_database_without_inventing_anything(alice):
    now = timezone.now()
    for n in range(1, 13):
        quick_cramp(alice, now - timedelta(days=n, hours=1))
    for n in range(0, 7):
        bare_checkin(alice, now - timedelta(days=n, hours=2))
    facts = patient_facts(alice, now=now)
    assert {c.severity for c in facts.cramps} == {None}
    insight = rule_frequent_severe_cramps(facts)
    assert insight is not None
    assert (insight.evidence["by_count"], insight.evidence["severe_episodes"]) == (True, 0)
    assert venous_signs(facts).present() == []


# --- Trends -------------------------------------------------------------------------------------


# 12:00 in Berlin (alice's zone): an entry an hour earlier is on the same local day, whenever the tests run.
BERLIN_NOON = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)


def test_a_day_with_a_cramp_of_unknown_severity_and_length_has_them_unknown_not_zero(alice):
    now = BERLIN_NOON
    quick_cramp(alice, now - timedelta(minutes=30))
    with time_machine.travel(now, tick=False):
        today = trend_series(alice, days=7)["days"][-1]
    assert today["cramps"] == 1
    assert today["max_severity"] is None
    assert today["cramp_minutes"] is None


def test_a_days_figures_are_over_what_was_said(alice):
    now = BERLIN_NOON
    quick_cramp(alice, now - timedelta(minutes=50))
    quick_cramp(alice, now - timedelta(minutes=40), severity=4, duration_seconds=90)
    bare_checkin(alice, now - timedelta(minutes=30), swelling_right=2)
    bare_checkin(alice, now - timedelta(minutes=20))
    with time_machine.travel(now, tick=False):
        today = trend_series(alice, days=7)["days"][-1]
    assert (today["max_severity"], today["cramp_minutes"]) == (4, 1.5)
    assert (today["swelling_max"], today["swelling_left_max"], today["swelling_right_max"]) == (2, None, 2)
    assert today["heaviness_max"] is None


def test_a_check_in_with_nothing_answered_leaves_swelling_and_heaviness_unknown(as_alice, alice):
    bare_checkin(alice, BERLIN_NOON - timedelta(minutes=5))
    with time_machine.travel(BERLIN_NOON, tick=False):
        today = as_alice.get("/api/v1/trends/", {"days": 7}).json()["days"][-1]
    assert (today["swelling_max"], today["heaviness_max"]) == (None, None)


# --- Exports ------------------------------------------------------------------------------------


def test_fhir_leaves_out_each_component_not_said_and_the_bundle_still_validates(as_bob, alice):
    now = timezone.now()
    cramp = quick_cramp(alice, now - timedelta(hours=3), side="left")
    check_in = bare_checkin(alice, now - timedelta(hours=2), swelling_right=1)
    response = as_bob.get(EXPORT.format(patient=alice.pk), {"format": "fhir"})
    assert response.status_code == 200
    body = json.loads(b"".join(response.streaming_content))
    Bundle.model_validate(body)
    found = observations(body)
    parts = components(found[str(cramp.pk)])
    assert "Side" in parts
    assert not {"Severity (0-10, self-rated)", "Muscle", "Activity at onset", "Duration"} & set(parts)
    assert found[str(cramp.pk)]["valueCodeableConcept"] == {"text": "Cramp in the left leg"}
    answered = set(components(found[str(check_in.pk)]))
    assert "Swelling, right leg (0 none, 1 mild, 2 moderate, 3 severe)" in answered
    assert (
        not {
            "Swelling, left leg (0 none, 1 mild, 2 moderate, 3 severe)",
            "Heaviness (0-10)",
            "Aching (0-10)",
            "Itching (0-10)",
        }
        & answered
    )


def test_the_csv_leaves_a_cell_not_said_empty_never_zero(alice):
    cramp = quick_cramp(alice, timezone.now() - timedelta(hours=3))
    check_in = bare_checkin(alice, timezone.now() - timedelta(hours=2))
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(records_as_csv(alice)))}
    assert [rows[str(cramp.pk)][name] for name in CRAMP_NOT_SAID] == [""] * 5
    assert [rows[str(check_in.pk)][name] for name in CHECKIN_NOT_SAID] == [""] * 5


def test_the_pdf_prints_not_said_for_swelling_left_out():
    facts = diary(
        checkins=[checkin(ago(1), swelling_left=2, calf_pain_or_tenderness=True, sudden_onset=True)]
    )
    insight = rule_urgent_dvt_warning(facts)
    words = evidence_words(insight)
    assert "swelling left 2/3, right not said" in words
    assert "0/3" not in words


def test_the_pdfs_swelling_days_are_of_the_days_swelling_was_answered(as_bob, alice):
    now = timezone.now()
    bare_checkin(alice, now - timedelta(days=2))
    bare_checkin(alice, now - timedelta(days=1), swelling_left=1, swelling_right=0)
    response = as_bob.get(EXPORT.format(patient=alice.pk), {"format": "pdf"})
    assert response.status_code == 200
    _pages, text = pdf_text(response.content)
    assert "1 day with swelling mild or worse, of 1 day with swelling answered" in " ".join(text.split())


def test_the_pdf_says_how_many_cramps_had_no_severity():
    cramps = [unknown_severity(night_cramp(ago(n))) for n in range(1, 13)]
    words = evidence_words(rule_frequent_severe_cramps(diary(cramps=cramps)))
    assert "(severity not said for 12)" in words


def test_the_admin_lists_not_said_rather_than_a_dash(client, alice):
    root = User.objects.create_superuser(email="root@crampwise.test", password="root-pass-2026")
    client.force_login(root)
    quick_cramp(alice, timezone.now() - timedelta(hours=3))
    bare_checkin(alice, timezone.now() - timedelta(hours=2))
    for model in (CrampEpisode, CheckIn):
        page = client.get(reverse(f"admin:diary_{model._meta.model_name}_changelist"))
        assert page.status_code == 200
        assert "not said" in page.content.decode()
