"""The clinician's urgent alerts in Chromium (issue 15): alice's urgent check-in puts her open alert above
bob's list, with who she is (date of birth, clinic reference) and when, on her New York clock; bob marks it
reviewed with a note and reads "Reviewed by Bob"; dave, whom nobody shared with, sees nothing of her.
Desktop, 390 px, dark."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import AccessLogEntry, CareLink, UrgentAlert
from tests.conftest import PASSWORD, client_for
from tests.e2e.conftest import ARTIFACTS, axe_violations, screenshot
from tests.e2e.test_patient_app import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

NEW_YORK = ZoneInfo("America/New_York")
# One leg swollen, painful, sudden: the urgent DVT pattern (PRODUCT.md, "Insights").
ONE_SWOLLEN_PAINFUL_CALF = {
    "swelling_left": 3,
    "swelling_right": 0,
    "calf_pain_or_tenderness": True,
    "sudden_onset": True,
    "redness_or_warmth": True,
}
NOTE = "Phoned her: she is being seen at the hospital today."


def on_her_clock(instant) -> str:
    local = timezone.localtime(instant, NEW_YORK)
    return f"{local.day} {local:%b}, {local:%H:%M} New York time"


def phone_dark(page, name: str) -> None:
    """390 px wide, light then dark: the alert card's facts wrap, nothing is cut off."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="light")
    screenshot(page, f"{name}-390")
    page.emulate_media(color_scheme="dark")
    screenshot(page, f"{name}-390-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_bob_reviews_alices_urgent_alert_first_and_dave_sees_nothing_of_her(desktop, alice, bob, carol, dave):
    alice.display_name, alice.timezone = "Alice Smith", "America/New_York"
    alice.date_of_birth = date(1950, 3, 3)
    alice.save(update_fields=["display_name", "timezone", "date_of_birth"])
    CareLink.objects.filter(patient=alice, clinician=bob).update(clinic_reference="VC-0042")
    # carol shared too and logged more recently, with nothing urgent: alice still comes first.
    CareLink.objects.create(patient=carol, clinician=bob)
    recorded_at = timezone.now() - timedelta(minutes=30)
    urgent = {"recorded_at": recorded_at.isoformat(), **ONE_SWOLLEN_PAINFUL_CALF}
    answer = client_for(alice).post("/api/v1/checkins/", urgent, format="json")
    assert answer.status_code == 201, answer.content
    calm = {"recorded_at": timezone.now().isoformat(), "heaviness": 2}
    assert client_for(carol).post("/api/v1/checkins/", calm, format="json").status_code == 201
    # She got help, and says so in the app.
    got_help = {"code": "urgent_dvt_warning", "action": "got_help"}
    assert client_for(alice).post("/api/v1/insights/acknowledge/", got_help, format="json").status_code == 200
    alert = UrgentAlert.objects.get(patient=alice, clinician=bob)
    assert alert.acknowledged_by_patient_at is not None
    assert not UrgentAlert.objects.filter(clinician=dave).exists()

    page = desktop.new_page()
    sign_in(page, "bob@example.com", PASSWORD)
    card = page.get_by_test_id("alert-card").first
    card.wait_for()
    assert page.get_by_test_id("alert-card").count() == 1
    assert card.get_attribute("data-patient-id") == str(alice.pk)
    assert card.get_attribute("data-status") == "open"
    assert "Alice Smith" in card.get_by_test_id("alert-patient").inner_text()
    # The date of birth and reference come with the patient list, which may answer after the alerts.
    expect(card.get_by_test_id("alert-dob")).to_have_text("3 Mar 1950")
    expect(card.get_by_test_id("alert-reference")).to_have_text("VC-0042")
    assert on_her_clock(recorded_at) in card.get_by_test_id("alert-reported").inner_text()
    assert on_her_clock(alert.raised_at) == card.get_by_test_id("alert-raised").inner_text()
    said = f"“I got help”, {on_her_clock(alert.acknowledged_by_patient_at)}"
    assert card.get_by_test_id("alert-ack").inner_text() == said
    # The list: alice first, who she is, and her open alert.
    rows = page.get_by_test_id("clinician-row")
    rows.nth(1).wait_for()
    assert rows.first.get_attribute("data-patient-id") == str(alice.pk)
    assert rows.first.get_by_test_id("open-alerts").inner_text().endswith("1 open alert")
    assert rows.first.get_by_test_id("patient-dob").inner_text() == "3 Mar 1950"
    assert rows.first.get_by_test_id("patient-reference").inner_text() == "VC-0042"
    assert rows.nth(1).get_by_test_id("patient-dob").inner_text() == "not said"
    assert rows.nth(1).get_by_test_id("open-alerts").count() == 0
    assert axe_violations(page) == []
    screenshot(page, "clinician-alert-open")
    phone_dark(page, "clinician-alert-open")

    card.get_by_test_id("review-note").fill(NOTE)
    card.get_by_test_id("mark-reviewed").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=alert-card]').dataset.status == 'reviewed'"
    )
    review = card.get_by_test_id("alert-review").inner_text()
    alert.refresh_from_db()
    assert alert.reviewed_at is not None and alert.reviewed_by == bob and alert.note == NOTE
    assert f"Reviewed by Bob on {on_her_clock(alert.reviewed_at)}" in review
    assert NOTE in card.get_by_test_id("alert-note").inner_text()
    assert page.get_by_test_id("alerts-none").is_visible()
    page.wait_for_function("() => !document.querySelector('[data-testid=open-alerts]')")
    assert AccessLogEntry.objects.filter(patient=alice, clinician=bob, action__icontains="review").exists()
    assert axe_violations(page) == []
    screenshot(page, "clinician-alert-reviewed")
    phone_dark(page, "clinician-alert-reviewed")

    # On the next visit the review is among the reviewed ones, folded away under the open ones.
    page.reload()
    page.get_by_test_id("alerts-none").wait_for()
    reviewed = page.get_by_test_id("alerts-reviewed")
    reviewed.locator("summary").click()
    assert f"Reviewed by Bob on {on_her_clock(alert.reviewed_at)}" in reviewed.inner_text()

    # Her page: the warning worded for a clinician, her answer, who she is.
    page.get_by_test_id("alert-patient").first.click()
    page.get_by_test_id("patient-page").wait_for()
    warning = page.locator("[data-testid=insight-card][data-code=urgent_dvt_warning]")
    warning.wait_for()
    assert "you" not in warning.get_by_test_id("insight-explanation").inner_text().lower().split()
    assert warning.get_by_test_id("insight-ack").inner_text() == f"The patient answered {said}."
    expect(page.get_by_test_id("patient-dob")).to_have_text("3 Mar 1950")  # from her link, read apart
    reference = page.get_by_test_id("reference-input")
    assert reference.input_value() == "VC-0042"
    reference.fill("x" * 41)
    page.get_by_test_id("reference-save").click()
    assert "up to 40" in page.get_by_test_id("reference-error").inner_text()
    screenshot(page, "clinician-patient-reference-too-long")
    reference.fill("VC-0043")
    page.get_by_test_id("reference-save").click()
    page.wait_for_function("() => !document.querySelector('[data-testid=reference-error]')")
    page.wait_for_function("() => document.querySelector('[data-testid=reference-save]').disabled === true")
    assert CareLink.objects.get(patient=alice, clinician=bob).clinic_reference == "VC-0043"
    assert axe_violations(page) == []
    screenshot(page, "clinician-patient-identity")
    phone_dark(page, "clinician-patient-identity")

    # dave: no alert of hers, no row of hers, and her page is not his to open.
    page.goto("/profile")
    page.get_by_test_id("sign-out").click()
    page.wait_for_url("**/signin**")
    sign_in(page, "dave@example.com", PASSWORD)
    page.get_by_test_id("alerts-none").wait_for()
    assert page.get_by_test_id("alert-card").count() == 0
    assert page.get_by_test_id("clinician-row").count() == 0
    assert "Alice" not in page.locator("main").inner_text()
    page.goto(f"/clinician/patients/{alice.pk}")
    page.get_by_text("This patient is not in your list").wait_for()
    assert "Alice" not in page.locator("main").inner_text()
    screenshot(page, "clinician-dave-sees-nothing")


def test_bob_chooses_how_he_is_told_and_cannot_turn_both_channels_off(desktop, bob):
    page = desktop.new_page()
    sign_in(page, "bob@example.com", PASSWORD)
    page.get_by_test_id("alerts").wait_for()
    page.goto("/profile")
    channels = page.get_by_test_id("alert-channels")
    channels.wait_for()
    push, email = page.get_by_test_id("alert-channel-push"), page.get_by_test_id("alert-channel-email")
    assert push.is_checked() and email.is_checked()

    push.uncheck()
    email.click()  # the last one: refused, with the reason
    assert email.is_checked()
    assert "at least one" in page.get_by_test_id("alert-channels-error").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "clinician-profile-alert-channels-refused")
    phone_dark(page, "clinician-profile-alert-channels")

    # Wait for the saved answer, not for the button to be disabled: it is disabled while busy, too.
    with page.expect_response(lambda response: response.request.method == "PATCH") as saved:
        page.get_by_test_id("save-alert-channels").click()
    assert saved.value.ok
    page.wait_for_function("() => document.querySelector('[data-testid=save-alert-channels]').disabled")
    bob.refresh_from_db()
    assert bob.alert_channels == ["email"]
    assert page.get_by_test_id("turn-on-push").is_visible()
    page.screenshot(path=str(ARTIFACTS / "clinician-profile-alert-channels-saved.png"))
