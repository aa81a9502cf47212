"""Clinics in Chromium: bob, the admin of Demo Vein Clinic, invites nina by email; the link in the email
brings nina (signed out, then signed in as dave by mistake) to join; she sees the clinic's patients; the
last admin cannot leave; bob adds carol for the clinic when asked; alice sees the clinic and nina's name in
Sharing, and nina's read labelled with the clinic."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from diary import tasks
from diary.models import CareLink, Clinic, ClinicInvite, ClinicMembership, ClinicRole, Role, UrgentAlert
from diary.services.sharing import share_code_create
from tests.conftest import PASSWORD, client_for, make_user
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, axe_violations, screenshot
from tests.e2e.test_patient_app import sign_in, small_phone_at_night

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cast():
    alice = make_user("alice@example.com", Role.PATIENT, timezone="America/New_York")
    carol = make_user("carol@example.com", Role.PATIENT)
    bob = make_user("bob@example.com", Role.CLINICIAN)
    make_user("dave@example.com", Role.CLINICIAN)
    nina = make_user("nina@example.com", Role.CLINICIAN)
    nina.display_name = "Nina Berg"
    nina.save(update_fields=["display_name"])
    clinic = Clinic.objects.create(name="Demo Vein Clinic")
    ClinicMembership.objects.create(clinic=clinic, user=bob, role=ClinicRole.ADMIN)
    CareLink.objects.create(patient=alice, clinic=clinic)
    return {"alice": alice, "carol": carol, "bob": bob, "nina": nina, "clinic": clinic}


@pytest.fixture
def ninas_browser(playwright_driver, tmp_path, live_server):
    """Nina's own browser (bob's and alice's are the `desktop` and `phone` ones)."""
    context = playwright_driver.chromium.launch_persistent_context(
        user_data_dir=str(tmp_path / "nina-profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        viewport=PHONE,
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/Berlin",
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def invite_link_of_the_email() -> str:
    """The worker's task sends the email (the tests' broker runs nothing); the link is read from it."""
    invite = ClinicInvite.objects.get(email="nina@example.com")
    tasks.send_clinic_invite.apply((str(invite.pk),))
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def dark_phone_sizes(page, name: str) -> None:
    small_phone_at_night(page)  # 360 x 740, dark, 200% text
    screenshot(page, f"{name}-360-dark-200")
    page.set_viewport_size({"width": 320, "height": 568})
    screenshot(page, f"{name}-320-dark-200")


def test_bob_invites_nina_who_joins_and_sees_the_clinics_patients_and_alice_sees_her(
    desktop, phone, ninas_browser, cast
):
    clinic = cast["clinic"]
    page = desktop.new_page()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "bob@example.com", PASSWORD)
    page.get_by_test_id("nav-clinic").click()
    page.get_by_test_id("clinic-page").wait_for()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo Vein Clinic")
    expect(page.get_by_test_id("clinic-member")).to_have_count(1)

    # No role chosen is not "clinician": the form asks.
    page.get_by_test_id("invite-email").fill("nina@example.com")
    page.get_by_test_id("invite-submit").click()
    expect(page.get_by_test_id("invite-role")).to_contain_text("Choose a role")
    assert not ClinicInvite.objects.exists()
    # A patient's address: the server's message, on the field.
    page.get_by_test_id("invite-email").fill("alice@example.com")
    page.get_by_test_id("invite-role").get_by_role("radio", name="Clinician").check()
    page.get_by_test_id("invite-submit").click()
    email_field = page.get_by_test_id("invite-form").locator(".field").first
    expect(email_field).to_contain_text("belongs to a patient account")
    expect(page.get_by_test_id("invite-email")).to_have_attribute("aria-invalid", "true")

    page.get_by_test_id("invite-email").fill("nina@example.com")
    page.get_by_test_id("invite-role").get_by_role("radio", name="Clinician").check()
    page.get_by_test_id("invite-submit").click()
    expect(page.get_by_test_id("invite-sent")).to_have_text(
        "✓ Invitation sent to nina@example.com as clinician, valid 7 days."
    )
    assert axe_violations(page) == []
    screenshot(page, "clinic-admin-1280")
    link = invite_link_of_the_email()
    assert link.startswith("/clinic-invite?token=")

    # Signed out: the invitation offers the sign-in, which comes back to it. Dave signs in by mistake.
    nina_page = ninas_browser.new_page()
    nina_page.goto(link)
    nina_page.get_by_test_id("clinic-invite").wait_for()
    assert axe_violations(nina_page) == []
    screenshot(nina_page, "clinic-invite-signed-out-390")
    nina_page.get_by_test_id("invite-sign-in").click()
    nina_page.get_by_label("Email").fill("dave@example.com")
    nina_page.get_by_label("Password").fill(PASSWORD)
    nina_page.get_by_role("button", name="Sign in").click()
    # The look-up tells dave neither the clinic nor the address; joining is not offered.
    expect(nina_page.get_by_test_id("invite-problem")).to_contain_text("not sent to dave@example.com")
    expect(nina_page.get_by_role("heading", level=1)).to_have_text("Join a clinic")
    expect(nina_page.get_by_test_id("invite-join")).to_have_count(0)
    assert ClinicInvite.objects.get().accepted_at is None
    screenshot(nina_page, "clinic-invite-wrong-account-390")

    nina_page.get_by_test_id("invite-sign-out").click()
    nina_page.get_by_label("Email").fill("nina@example.com")
    nina_page.get_by_label("Password").fill(PASSWORD)
    nina_page.get_by_role("button", name="Sign in").click()
    nina_page.get_by_test_id("invite-join").wait_for()
    # Looked up for nina: the clinic by name, her address and role, until when on her own clock.
    expect(nina_page.get_by_role("heading", level=1)).to_have_text("Join Demo Vein Clinic")
    expect(nina_page.get_by_test_id("invite-details")).to_contain_text(
        "This invitation is for nina@example.com, as clinician."
    )
    expect(nina_page.get_by_test_id("invite-details")).to_contain_text("UTC")
    expect(nina_page.get_by_test_id("invite-join")).to_have_text("Join Demo Vein Clinic")
    assert axe_violations(nina_page) == []
    screenshot(nina_page, "clinic-invite-join-390")
    nina_page.get_by_test_id("invite-join").click()
    expect(nina_page.get_by_test_id("toast")).to_contain_text("You joined Demo Vein Clinic")
    rows = nina_page.get_by_test_id("clinician-row")
    expect(rows).to_have_count(1)
    assert rows.first.get_attribute("data-patient-id") == str(cast["alice"].pk)
    assert ClinicMembership.objects.filter(clinic=clinic, user=cast["nina"], role="clinician").exists()

    # Alice's urgent check-in raises the clinic's alert; nina, a member for a minute, reviews it.
    urgent = {
        "recorded_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
        "sudden_chest_pain_or_breathlessness": True,
    }
    assert client_for(cast["alice"]).post("/api/v1/checkins/", urgent, format="json").status_code == 201
    nina_page.reload()
    card = nina_page.get_by_test_id("alert-card").first
    expect(card.get_by_test_id("alert-clinic")).to_have_text("Demo Vein Clinic")
    card.get_by_test_id("mark-reviewed").click()
    expect(card.get_by_test_id("alert-review")).to_contain_text("Reviewed by Nina")
    assert UrgentAlert.objects.get(patient=cast["alice"], clinic=clinic).reviewed_by == cast["nina"]

    # Nina's own clinic page: members with roles, no admin controls; she may leave.
    nina_page.get_by_test_id("nav-clinic").click()
    expect(nina_page.get_by_test_id("clinic-member")).to_have_count(2)
    expect(nina_page.get_by_test_id("invite-form")).to_have_count(0)
    expect(nina_page.get_by_test_id("remove-member")).to_have_count(0)
    expect(nina_page.get_by_test_id("leave-clinic")).to_have_count(1)
    assert axe_violations(nina_page) == []
    screenshot(nina_page, "clinic-member-390")

    # Bob, the last admin, can neither step down nor leave: said plainly.
    page.reload()
    bobs_row = page.locator(f"[data-testid=clinic-member][data-user='{cast['bob'].pk}']")
    bobs_row.get_by_test_id("member-role").select_option("clinician")
    bobs_row.get_by_test_id("member-role-save").click()
    expect(bobs_row.get_by_test_id("member-error")).to_contain_text("last admin cannot be made a clinician")
    bobs_row.get_by_test_id("leave-clinic").click()
    bobs_row.get_by_role("button", name="Yes, leave").click()
    expect(bobs_row.get_by_test_id("member-error")).to_contain_text("last admin cannot leave")
    assert ClinicMembership.objects.get(user=cast["bob"]).role == "admin"

    # Bob adds carol: asked for whom (the clinic first), never assumed.
    _, code = share_code_create(patient=cast["carol"])
    redeem = page.get_by_test_id("clinic-redeem")
    redeem.get_by_test_id("redeem-code-input").fill(code)
    options = redeem.get_by_test_id("redeem-for").locator("label")
    expect(options).to_have_text(["For Demo Vein Clinic", "Just me"])
    redeem.get_by_test_id("redeem-code-submit").click()
    expect(redeem.get_by_test_id("redeem-for")).to_contain_text("Choose a clinic or “Just me”.")
    assert not CareLink.objects.filter(patient=cast["carol"]).exists()
    redeem.get_by_test_id("redeem-for").get_by_role("radio", name="For Demo Vein Clinic").check()
    redeem.get_by_test_id("redeem-code-submit").click()
    expect(redeem.get_by_test_id("redeem-result")).to_contain_text(
        "now shares their diary with Demo Vein Clinic"
    )
    assert CareLink.objects.get(patient=cast["carol"]).clinic_id == clinic.pk
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    screenshot(page, "clinic-admin-390")

    # Alice sees the clinic, the people in it by name, and nina's read labelled with the clinic.
    alice_page = phone.new_page()
    sign_in(alice_page, "alice@example.com", PASSWORD)
    alice_page.get_by_test_id("quick-cramp").wait_for()
    alice_page.goto("/sharing")
    clinic_link = alice_page.locator("[data-testid=sharing-link][data-clinic]")
    expect(clinic_link.get_by_test_id("sharing-clinic-name")).to_have_text("Demo Vein Clinic")
    expect(clinic_link.get_by_test_id("sharing-people").locator("li")).to_have_text(["Bob", "Nina Berg"])
    expect(clinic_link.get_by_role("button", name="Stop sharing with Demo Vein Clinic")).to_be_visible()
    log = alice_page.get_by_test_id("access-log")
    expect(log).to_contain_text("Nina Berg (Demo Vein Clinic)")
    expect(log).to_contain_text("New York time")
    dark_phone_sizes(alice_page, "clinic-sharing")
    assert axe_violations(alice_page) == []

    clinic_link.get_by_role("button", name="Stop sharing with Demo Vein Clinic").click()
    expect(alice_page.get_by_test_id("toast")).to_contain_text(
        "Demo Vein Clinic and its members can no longer"
    )
    assert not CareLink.objects.filter(patient=cast["alice"]).exists()


def leftovers_sizes(page, name: str) -> None:
    """The clinic-leftovers screenshots: desktop and phone, then the dark phones at 200% text."""
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"clinic-leftovers-{name}-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, f"clinic-leftovers-{name}-390")


def test_bob_sees_the_pending_invitations_on_his_clock_and_cancels_one(desktop, ninas_browser, cast):
    bob = cast["bob"]
    bob.timezone = "Europe/Lisbon"
    bob.save(update_fields=["timezone"])
    page = desktop.new_page()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "bob@example.com", PASSWORD)
    page.get_by_test_id("nav-clinic").click()
    pending = page.get_by_test_id("pending-invites")
    expect(pending.get_by_test_id("pending-none")).to_be_visible()

    for email, role in (("nina@example.com", "Clinician"), ("nils@example.com", "Admin")):
        page.get_by_test_id("invite-email").fill(email)
        page.get_by_test_id("invite-role").get_by_role("radio", name=role).check()
        page.get_by_test_id("invite-submit").click()
        expect(page.get_by_test_id("invite-sent")).to_contain_text(email)
    rows = pending.get_by_test_id("pending-invite")
    # Newest first, each with its role, who sent it, and when it expires on bob's own clock, labelled.
    expect(rows).to_have_count(2)
    assert [rows.nth(i).get_attribute("data-email") for i in range(2)] == [
        "nils@example.com",
        "nina@example.com",
    ]
    expect(rows.first).to_contain_text("As admin")
    expect(rows.first).to_contain_text("Invited by Bob")
    expect(rows.first.get_by_test_id("pending-expires")).to_contain_text("Lisbon time")
    assert axe_violations(page) == []
    leftovers_sizes(page, "pending")

    nils = page.locator("[data-testid=pending-invite][data-email='nils@example.com']")
    nils.get_by_test_id("cancel-invite").click()
    nils.get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_test_id("toast")).to_contain_text("The invitation to nils@example.com was cancelled.")
    expect(rows).to_have_count(1)
    assert not ClinicInvite.objects.filter(email="nils@example.com").exists()

    # Nina, invited and not cancelled, is told the clinic's name on the accept page.
    link = invite_link_of_the_email()
    nina_page = ninas_browser.new_page()
    nina_page.goto(link)
    nina_page.get_by_test_id("invite-sign-in").click()
    nina_page.get_by_label("Email").fill("nina@example.com")
    nina_page.get_by_label("Password").fill(PASSWORD)
    nina_page.get_by_role("button", name="Sign in").click()
    expect(nina_page.get_by_role("heading", level=1)).to_have_text("Join Demo Vein Clinic")
    assert axe_violations(nina_page) == []
    leftovers_sizes(nina_page, "accept")
    dark_phone_sizes(nina_page, "clinic-leftovers-accept")


def test_the_patient_lists_add_patient_asks_for_the_clinic(desktop, cast):
    _, code = share_code_create(patient=cast["carol"])
    page = desktop.new_page()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "bob@example.com", PASSWORD)
    redeem = page.get_by_test_id("clinic-redeem")
    redeem.get_by_test_id("redeem-code-input").fill(code)
    options = redeem.get_by_test_id("redeem-for")
    expect(options.locator("label")).to_have_text(["For Demo Vein Clinic", "Just me"])
    # Nothing chosen for him: asked, and nothing is added.
    expect(options.get_by_role("radio", checked=True)).to_have_count(0)
    redeem.get_by_test_id("redeem-code-submit").click()
    expect(options).to_contain_text("Choose a clinic or “Just me”.")
    assert not CareLink.objects.filter(patient=cast["carol"]).exists()
    assert axe_violations(page) == []
    leftovers_sizes(page, "add-patient")
    dark_phone_sizes(page, "clinic-leftovers-add-patient")

    page.set_viewport_size(DESKTOP)
    options.get_by_role("radio", name="Just me").check()
    redeem.get_by_test_id("redeem-code-submit").click()
    expect(redeem.get_by_test_id("redeem-result")).to_contain_text("Carol")
    link = CareLink.objects.get(patient=cast["carol"])
    assert (link.clinician_id, link.clinic_id) == (cast["bob"].pk, None)
    expect(page.get_by_test_id("clinician-row")).to_have_count(2)


def test_a_clinician_in_no_clinic_is_told_why_and_stays_signed_in(desktop, cast, settings):
    settings.CLINICIANS_MUST_BELONG_TO_A_CLINIC = True
    _, code = share_code_create(patient=cast["carol"])
    page = desktop.new_page()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "dave@example.com", PASSWORD)
    redeem = page.get_by_test_id("clinic-redeem")
    # Dave belongs to no clinic: there is nothing to ask.
    expect(redeem.get_by_test_id("redeem-for")).to_have_count(0)
    redeem.get_by_test_id("redeem-code-input").fill(code)
    redeem.get_by_test_id("redeem-code-submit").click()
    expect(redeem.get_by_test_id("redeem-error")).to_contain_text("clinic")
    expect(page.get_by_test_id("clinician-list").or_(page.locator(".empty-state"))).to_be_visible()
    expect(page.get_by_test_id("redeem-code-input")).to_have_attribute("aria-invalid", "true")
    assert page.url.endswith("/clinician")
    assert not CareLink.objects.filter(patient=cast["carol"]).exists()
    leftovers_sizes(page, "no-clinic")


def test_bob_ends_the_clinics_care_of_alice_and_her_sharing_page_says_so(desktop, phone, cast):
    page = desktop.new_page()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "bob@example.com", PASSWORD)
    page.get_by_test_id("clinician-row").first.wait_for()
    page.goto(f"/clinician/patients/{cast['alice'].pk}")
    page.get_by_test_id("end-clinic-care-ask").click()
    # Asked first; keeping it changes nothing.
    page.get_by_test_id("end-clinic-care-no").click()
    assert CareLink.objects.filter(patient=cast["alice"]).exists()
    page.get_by_test_id("end-clinic-care-ask").click()
    assert axe_violations(page) == []
    screenshot(page, "clinic-end-care-1280")
    page.get_by_test_id("end-clinic-care-yes").click()
    expect(page.get_by_test_id("toast")).to_contain_text("no longer shares their diary with Demo Vein Clinic")
    page.wait_for_url("**/clinician")
    assert not CareLink.objects.filter(patient=cast["alice"]).exists()

    alice_page = phone.new_page()
    sign_in(alice_page, "alice@example.com", PASSWORD)
    alice_page.get_by_test_id("quick-cramp").wait_for()
    alice_page.goto("/sharing")
    expect(alice_page.get_by_test_id("access-log")).to_contain_text("ended sharing")
    expect(alice_page.get_by_test_id("access-log")).to_contain_text("Demo Vein Clinic")
