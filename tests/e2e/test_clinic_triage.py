"""The clinic's triage list in Chromium (issue 17): nina, a nurse bob's clinic invited, signs in and sees
the clinic's patients labelled with the clinic and who is assigned, alice (with an open alert) first; she
assigns alice to herself on alice's page, filters "Assigned to me", and reviews the clinic's alert, which
bob then sees reviewed by nina. Screens at 1280x800 and 390x844 dark, and small phones at 200% text."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import CareLink, Clinic, ClinicMembership, ClinicRole, Role, UrgentAlert
from diary.services import clinics
from tests.conftest import PASSWORD, client_for, make_user
from tests.e2e.conftest import ARTIFACTS, axe_violations, screenshot
from tests.e2e.test_patient_app import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

CLINIC = "Lindqvist Vein Clinic"


def screens(page, name: str, focus: str) -> None:
    """Desktop, a phone in the dark, and small phones in the dark at 200% text (the screen, scrolled to
    `focus`, a test id): nothing cut off."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(color_scheme="light")
    screenshot(page, f"clinic-triage-{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    screenshot(page, f"clinic-triage-{name}-390-dark")
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    for width, height in ((360, 740), (320, 568)):
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id(focus).first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"clinic-triage-{name}-{width}-dark-200.png"))
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_nina_triages_the_clinics_patients_assigns_alice_to_herself_and_reviews_her_alert(
    desktop, alice, carol
):
    # The clinic as staff leave it: bob admin, nina invited by him and accepting.
    bob = make_user("bob@example.com", Role.CLINICIAN)
    clinic = Clinic.objects.create(name=CLINIC)
    ClinicMembership.objects.create(clinic=clinic, user=bob, role=ClinicRole.ADMIN)
    invite = clinics.clinic_invite(
        clinic=clinic, invited_by=bob, email="nina@example.com", role=ClinicRole.CLINICIAN
    )
    nina = make_user("nina@example.com", Role.CLINICIAN)
    clinics.clinic_invite_accept(user=nina, token=clinics._invite_token(invite.id))
    alice.display_name, carol.display_name = "Alice Smith", "Carol Jones"
    alice.save(update_fields=["display_name"])
    carol.save(update_fields=["display_name"])
    CareLink.objects.create(patient=alice, clinic=clinic)
    CareLink.objects.create(patient=carol, clinic=clinic, assigned_to=bob)
    # Carol logged more recently, nothing urgent; alice's urgent check-in raises the clinic's alert.
    urgent = {
        "recorded_at": (timezone.now() - timedelta(minutes=30)).isoformat(),
        "sudden_chest_pain_or_breathlessness": True,
    }
    assert client_for(alice).post("/api/v1/checkins/", urgent, format="json").status_code == 201
    calm = {"recorded_at": timezone.now().isoformat(), "heaviness": 2}
    assert client_for(carol).post("/api/v1/checkins/", calm, format="json").status_code == 201
    alert = UrgentAlert.objects.get(patient=alice)
    assert alert.clinic == clinic

    page = desktop.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    asked_for_clinics = []
    page.on("request", lambda r: r.url.endswith("/api/v1/clinics/") and asked_for_clinics.append(r.url))
    sign_in(page, "nina@example.com", PASSWORD)
    rows = page.get_by_test_id("clinician-row")
    rows.nth(1).wait_for()
    # The navigation and the list share one request for her clinics.
    assert len(asked_for_clinics) == 1
    assert rows.first.get_attribute("data-patient-id") == str(alice.pk)
    assert rows.first.get_by_test_id("open-alerts").inner_text().endswith("1 open alert")
    assert rows.first.get_by_test_id("patient-clinic").inner_text() == CLINIC
    assert rows.first.get_by_test_id("patient-assigned").inner_text() == "nobody yet"
    assert rows.nth(1).get_by_test_id("patient-assigned").inner_text() == "Bob"
    card = page.get_by_test_id("alert-card").first
    expect(card.get_by_test_id("alert-clinic")).to_have_text(CLINIC)
    assert axe_violations(page) == []
    screens(page, "list", "patient-assigned")

    # Nobody is assigned to her yet: the filter, kept in the URL, says so.
    page.get_by_test_id("assigned-to-me").check()
    page.wait_for_url("**/clinician?assigned=me")
    expect(page.get_by_text("No patient is assigned to you.")).to_be_visible()

    # On alice's page she takes alice on.
    page.goto(f"/clinician/patients/{alice.pk}")
    select = page.get_by_test_id("assign-select")
    expect(select.locator("option")).to_have_count(3)  # nobody, bob, nina (you)
    select.select_option(str(nina.pk))
    expect(page.get_by_text("Assigned to Nina.")).to_be_visible()
    link = CareLink.objects.get(patient=alice, clinic=clinic)
    assert link.assigned_to == nina
    assert axe_violations(page) == []
    page.get_by_test_id("assign-form").scroll_into_view_if_needed()
    screens(page, "assign", "assign-form")

    page.goto("/clinician?assigned=me")
    expect(page.get_by_test_id("clinician-row")).to_have_count(1)
    row = page.get_by_test_id("clinician-row").first
    assert row.get_attribute("data-patient-id") == str(alice.pk)
    assert row.get_by_test_id("patient-assigned").inner_text() == "you"
    assert page.get_by_test_id("assigned-to-me").is_checked()
    screens(page, "assigned-to-me", "assigned-to-me")

    # She reviews the clinic's alert; bob sees it reviewed by her.
    card = page.get_by_test_id("alert-card").first
    card.get_by_test_id("review-note").fill("Phoned her; an ambulance was called.")
    card.get_by_test_id("mark-reviewed").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=alert-card]').dataset.status == 'reviewed'"
    )
    assert "Reviewed by Nina" in card.get_by_test_id("alert-review").inner_text()
    alert.refresh_from_db()
    assert alert.reviewed_by == nina
    [seen_by_bob] = client_for(bob).get("/api/v1/clinician/alerts/").json()["results"]
    assert (seen_by_bob["reviewed_by_name"], seen_by_bob["clinic_name"]) == ("Nina", CLINIC)
    assert axe_violations(page) == []
    screens(page, "reviewed", "alert-review")


def test_bob_with_direct_links_only_sees_no_clinic_filter_and_his_list_as_before(desktop, alice, bob):
    page = desktop.new_page()
    sign_in(page, "bob@example.com", PASSWORD)
    page.get_by_test_id("clinician-row").first.wait_for()
    page.get_by_test_id("alerts").wait_for()
    expect(page.get_by_test_id("assigned-to-me")).to_have_count(0)
    row = page.get_by_test_id("clinician-row").first
    assert row.get_by_test_id("patient-clinic").count() == 0
    assert row.get_by_test_id("patient-assigned").count() == 0
    page.goto(f"/clinician/patients/{alice.pk}")
    page.get_by_test_id("reference-form").wait_for()
    expect(page.get_by_test_id("assign-form")).to_have_count(0)
