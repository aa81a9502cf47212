"""The patient PWA in Chromium at phone size: sign up, two-tap cramp, offline and back exactly once,
trends from the demo diary, the push handler, installability and accessibility of every screen."""

import json
import time

import pytest
from django.core.management import call_command

from diary.models import CheckIn, CrampEpisode, Hydration, User
from tests.e2e.conftest import ARTIFACTS, axe_violations, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PASSWORD = "calf-stretch-2026"


def sign_up(page, email: str, name: str = "Frank") -> None:
    page.goto("/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_test_id("onboarding-skip").click()  # the first run, walked in tests/e2e/test_onboarding.py
    page.get_by_test_id("quick-cramp").wait_for()


def sign_in(page, email: str, password: str = "crampwise-demo") -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def wait_until_synced(page) -> None:
    page.wait_for_function(
        "() => { const n = document.querySelector('[data-testid=pending-count]');"
        " return !n || n.textContent.trim() === '' || n.textContent.trim().startsWith('0'); }"
    )


def test_a_new_patient_logs_a_cramp_in_two_taps_and_finds_it_in_history(phone):
    page = phone.new_page()
    sign_up(page, "frank@example.com")
    screenshot(page, "patient-today")

    page.get_by_test_id("quick-cramp").click()  # tap one
    screenshot(page, "patient-log-cramp")
    page.get_by_test_id("save-cramp").click()  # tap two

    page.wait_for_function("() => true")
    frank = User.objects.get(email="frank@example.com")
    page.wait_for_timeout(500)
    wait_until_synced(page)
    assert CrampEpisode.objects.filter(patient=frank).count() == 1
    # Two taps say when, nothing else: no invented "5 of 10, 1 min, left calf, resting" (issue 14).
    cramp = CrampEpisode.objects.get(patient=frank)
    assert (cramp.severity, cramp.duration_seconds, cramp.muscle, cramp.side, cramp.activity) == (None,) * 5
    assert cramp.woke_from_sleep is False and cramp.relieved_by_rest is None

    page.get_by_test_id("tab-history").click()
    item = page.get_by_test_id("history-item").first
    item.wait_for()
    assert item.get_attribute("data-kind") == "cramps"
    screenshot(page, "patient-history")


def wait_for_cramp(patient) -> CrampEpisode:
    for _ in range(40):
        cramp = CrampEpisode.objects.filter(patient=patient).first()
        if cramp is not None:
            return cramp
        time.sleep(0.25)
    raise AssertionError("the cramp never reached the server")


def small_phone_at_night(page) -> None:
    """A small phone, dark, with the text at 200%: how a patient half awake at 3 a.m. sees it."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.emulate_media(color_scheme="dark")
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")


def screenshot_both(page, name: str) -> None:
    """The whole page, and what fits on the screen without scrolling."""
    screenshot(page, name)
    page.screenshot(path=str(ARTIFACTS / f"{name}-screen.png"))


def test_the_cramp_form_opens_with_nothing_chosen_and_stores_only_what_was_tapped(phone):
    page = phone.new_page()
    sign_up(page, "greta@example.com", name="Greta")
    greta = User.objects.get(email="greta@example.com")
    small_phone_at_night(page)

    page.get_by_test_id("quick-cramp").click()
    page.get_by_test_id("save-cramp").wait_for()
    for group in ("cramp-side", "cramp-muscle", "cramp-severity", "cramp-duration", "cramp-activity"):
        assert page.get_by_test_id(group).get_attribute("data-unset") == "true", group
    assert page.get_by_text("Leave blank if you're not sure.").first.is_visible()
    screenshot_both(page, "patient-log-cramp-nothing-chosen")

    page.get_by_test_id("cramp-side").get_by_role("radio", name="Right", exact=True).check()
    page.get_by_test_id("cramp-severity").get_by_role("radio", name="7", exact=True).check()
    assert page.get_by_test_id("cramp-severity").get_attribute("data-unset") is None
    screenshot_both(page, "patient-log-cramp-two-answers")
    page.get_by_test_id("save-cramp").click()

    cramp = wait_for_cramp(greta)
    assert (cramp.side, cramp.severity) == ("right", 7)
    assert (cramp.duration_seconds, cramp.muscle, cramp.activity) == (None, None, None)


def test_a_check_in_saved_untouched_stores_swelling_and_symptoms_as_not_answered(phone):
    page = phone.new_page()
    sign_up(page, "hana@example.com", name="Hana")
    hana = User.objects.get(email="hana@example.com")
    small_phone_at_night(page)
    page.get_by_test_id("quick-checkin").click()
    page.get_by_test_id("save-checkin").wait_for()
    unanswered = ("swelling-left", "swelling-right", "checkin-heaviness", "checkin-aching", "checkin-itching")
    for group in unanswered:
        assert page.get_by_test_id(group).get_attribute("data-unset") == "true", group
    assert page.get_by_text("Leave unticked if not.").first.is_visible()
    page.get_by_test_id("swelling-left").get_by_role("radio", name="None", exact=True).check()
    screenshot_both(page, "patient-checkin-not-answered")
    page.get_by_test_id("save-checkin").click()

    for _ in range(40):
        checkin = CheckIn.objects.filter(patient=hana).first()
        if checkin is not None:
            break
        time.sleep(0.25)
    assert checkin is not None
    assert checkin.swelling_left == 0  # "none" was tapped: an answer
    assert (checkin.swelling_right, checkin.heaviness, checkin.aching, checkin.itching) == (None,) * 4
    assert checkin.calf_pain_or_tenderness is False


def test_entries_made_offline_survive_a_reload_and_reach_the_server_exactly_once(phone):
    page = phone.new_page()
    sign_up(page, "olga@example.com", name="Olga")
    olga = User.objects.get(email="olga@example.com")
    page.wait_for_function("async () => !!(await navigator.serviceWorker.getRegistration())")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)

    phone.set_offline(True)
    for _ in range(2):
        page.get_by_test_id("quick-water").click()
    page.get_by_test_id("quick-cramp").click()
    page.get_by_test_id("save-cramp").click()
    page.get_by_test_id("pending-count").wait_for()
    screenshot(page, "patient-offline-pending")
    page.reload()  # offline: the service worker serves the shell, IndexedDB keeps the entries
    page.get_by_test_id("quick-cramp").wait_for()
    assert Hydration.objects.filter(patient=olga).count() == 0

    phone.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => { const n = document.querySelector('[data-testid=pending-count]');"
        " return !n || !/[1-9]/.test(n.textContent); }",
        timeout=30_000,
    )
    page.wait_for_timeout(1000)  # time for a duplicate, if there were one
    assert Hydration.objects.filter(patient=olga).count() == 2
    assert CrampEpisode.objects.filter(patient=olga).count() == 1


def test_the_trends_screen_draws_charts_from_the_demo_diary(phone):
    call_command("load_demo", verbosity=0)
    page = phone.new_page()
    sign_in(page, "alice@example.com")
    page.get_by_test_id("tab-trends").click()
    chart = page.get_by_test_id("trends-chart-cramp-nights")
    chart.wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=trends-chart-cramp-nights] canvas') !== null"
    )
    assert page.get_by_test_id("insight-card").count() >= 1
    screenshot(page, "patient-trends")


def test_the_service_worker_shows_a_pushed_reminder_once_per_tag(phone, live_server):
    phone.grant_permissions(["notifications"], origin=live_server.url)
    page = phone.new_page()
    sign_up(page, "pia@example.com", name="Pia")
    page.wait_for_function("async () => !!(await navigator.serviceWorker.ready)")
    cdp = phone.new_cdp_session(page)
    cdp.send("ServiceWorker.enable")
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    page.wait_for_timeout(500)
    registration_id = next(r["registrationId"] for r in registrations if not r.get("isDeleted"))
    payload = {
        "title": "Time for your legs",
        "body": "A glass of water",
        "tag": "reminder-abc-1700000000",
        "reminder": "abc",
        "kind": "hydration",
        "occurrence": "2026-11-22T08:00:00+00:00",
        "action_token": "token",
        "actions": [{"action": "done", "title": "Done"}, {"action": "snooze", "title": "Snooze 30 min"}],
    }
    shown_now = (
        "async () => { const shown = await (await navigator.serviceWorker.ready).getNotifications();"
        " return shown.length ? shown.map(n => ({title: n.title, body: n.body, tag: n.tag,"
        " actions: n.actions.map(a => a.action)})) : false; }"
    )

    def push():
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server.url, "registrationId": registration_id, "data": json.dumps(payload)},
        )

    push()
    page.wait_for_function(shown_now)
    push()  # a repeat of the same occurrence replaces the first, never doubles it
    page.wait_for_timeout(1000)  # the replacement closes the old one first: let it settle
    shown = page.wait_for_function(shown_now).json_value()
    assert shown == [
        {
            "title": "Time for your legs",
            "body": "A glass of water",
            "tag": "reminder-abc-1700000000",
            "actions": ["done", "snooze"],
        }
    ]


def test_chromium_finds_the_app_installable(phone):
    page = phone.new_page()
    page.goto("/signin")
    page.wait_for_function("async () => !!(await navigator.serviceWorker.ready)")
    cdp = phone.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []


SCREENS = [
    ("today", "/"),
    ("history", "/history"),
    ("trends", "/trends"),
    ("reminders", "/reminders"),
    ("sharing", "/sharing"),
    ("profile", "/profile"),
    ("more", "/more"),
    ("checkin", "/checkin"),
    ("cramp", "/cramp"),
]


def test_no_screen_has_a_serious_accessibility_violation(phone):
    call_command("load_demo", verbosity=0)
    page = phone.new_page()
    for name, path in [("signin", "/signin"), ("signup", "/signup"), ("reset", "/reset-password")]:
        page.goto(path)
        page.get_by_role("button").first.wait_for()
        assert axe_violations(page) == [], name
        screenshot(page, f"patient-{name}")
    sign_in(page, "alice@example.com")
    page.get_by_test_id("quick-cramp").wait_for()
    for name, path in SCREENS:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], name
        screenshot(page, f"patient-screen-{name}")
