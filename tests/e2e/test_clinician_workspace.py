"""The clinician workspace in Chromium on a desktop: bob triages, opens erin's page, downloads her visit
summary; erin then sees bob's reads in her access log. Times belong to the patient: bob in Berlin reads
alice's New York night cramp at 03:00, and alice reads a late reminder's reason on her own clock."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from diary.models import AccessLogEntry, CareLink, CrampEpisode, Role, User
from diary.services.records import record_create
from diary.services.reminders import dispatch_due, reminder_create
from diary.services.summaries import summary_refresh
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import ARTIFACTS, axe_violations, screenshot
from tests.e2e.test_patient_app import sign_in, small_phone_at_night

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_bob_triages_opens_erin_downloads_her_summary_and_erin_sees_his_reads(desktop, phone, tmp_path):
    call_command("load_demo", verbosity=0)
    erin = User.objects.get(email="erin@example.com")

    page = desktop.new_page()
    sign_in(page, "bob@example.com")
    rows = page.get_by_test_id("clinician-row")
    rows.first.wait_for()
    assert rows.count() == 4
    assert rows.first.get_attribute("data-patient-id") == str(erin.pk)  # the most urgent first
    assert rows.first.get_attribute("data-level") == "urgent"
    assert axe_violations(page) == []
    screenshot(page, "clinician-list")

    rows.first.get_by_role("link").first.click()
    page.get_by_test_id("patient-page").wait_for()
    assert "Erin" in page.get_by_test_id("patient-name").inner_text()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=trends-chart-cramp-nights] canvas') !== null"
    )
    # Trends and insights load separately: the chart being drawn does not mean the cards are there.
    dvt_warning = page.locator("[data-testid=insight-card][data-code=urgent_dvt_warning]")
    dvt_warning.first.wait_for()
    assert dvt_warning.count() == 1
    assert "not a diagnosis" in page.get_by_test_id("self-reported").inner_text().lower()
    assert axe_violations(page) == []
    screenshot(page, "clinician-patient-page")

    with page.expect_download() as download_info:
        page.get_by_test_id("export-pdf").click()
    pdf = tmp_path / "summary.pdf"
    download_info.value.save_as(pdf)
    text = "".join(page_.extract_text() for page_ in PdfReader(pdf).pages)
    assert "Erin" in text
    assert "Self-reported" in text

    actions = set(AccessLogEntry.objects.filter(patient=erin).values_list("action", flat=True))
    assert {"read trends", "read insights", "export pdf"} <= actions

    patient = phone.new_page()
    sign_in(patient, "erin@example.com")
    patient.get_by_test_id("quick-cramp").wait_for()
    patient.goto("/sharing")
    log = patient.get_by_test_id("access-log")
    log.wait_for()
    patient.wait_for_function(
        "() => document.querySelector('[data-testid=access-log]').textContent.includes('Bob')"
    )
    assert "export pdf" in log.inner_text().lower() or "pdf" in log.inner_text().lower()
    screenshot(patient, "patient-access-log")


def test_bob_in_berlin_reads_alices_night_cramp_at_three_new_york_time(desktop, phone):
    """Times belong to the patient: alice lives in New York, bob's browser is in Berlin (issue 14)."""
    alice = make_user("alice@example.com", Role.PATIENT, timezone="America/New_York")
    alice.display_name = "Alice Smith"
    alice.save(update_fields=["display_name"])
    bob = make_user("bob@example.com", Role.CLINICIAN, timezone="Europe/Berlin")
    CareLink.objects.create(patient=alice, clinician=bob)
    new_york, berlin = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")
    yesterday = timezone.localtime(timezone.now(), new_york).date() - timedelta(days=1)
    three_am = datetime.combine(yesterday, time(3, 0), tzinfo=new_york)
    record_create(
        model=CrampEpisode,
        patient=alice,
        data={
            "started_at": three_am,
            "woke_from_sleep": True,
            "severity": 7,
            "muscle": "calf",
            "side": "left",
        },
    )
    summary_refresh(patient=alice)
    own = timezone.localtime(three_am, berlin)
    own_words = (
        f"{own:%H:%M} your time" if own.date() == yesterday else f"{own.day} {own:%b}, {own:%H:%M} your time"
    )

    page = desktop.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "bob@example.com", PASSWORD)
    row = page.get_by_test_id("clinician-row").first
    row.wait_for()
    last_entry = row.get_by_test_id("last-entry-time").inner_text()
    assert "03:00 New York time" in last_entry
    assert f"({own_words})" in last_entry  # bob's own clock, beside and after the patient's
    assert axe_violations(page) == []
    screenshot(page, "clinician-list-patient-times")

    row.get_by_role("link").first.click()
    page.get_by_test_id("patient-page").wait_for()
    assert "New York time (America/New_York)" in page.get_by_test_id("patient-zone").inner_text()
    table = page.get_by_test_id("entries-table")
    page.get_by_test_id("entry-row").first.wait_for()
    assert table.locator("thead th").first.inner_text() == "When (New York time)"
    when = table.get_by_test_id("entry-row").first.locator("th").inner_text()
    assert when.endswith("03:00"), when  # not bob's 09:00
    # The dates picked are alice's days: yesterday in New York holds the cramp, today does not.
    page.get_by_test_id("entries-since").fill(yesterday.isoformat())
    page.get_by_test_id("entries-until").fill(yesterday.isoformat())
    page.wait_for_function("() => document.querySelectorAll('[data-testid=entry-row]').length === 1")
    assert page.get_by_test_id("entry-row").first.locator("th").inner_text().endswith("03:00")
    assert axe_violations(page) == []
    page.get_by_test_id("entries-table").scroll_into_view_if_needed()
    screenshot(page, "clinician-entries-patient-times")
    page.screenshot(path=str(ARTIFACTS / "clinician-entries-patient-times-screen.png"))

    # The same page on a small phone, dark, at 200% text: the labels wrap, nothing is cut off.
    small_phone_at_night(page)
    page.get_by_test_id("entry-row").first.locator("th").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "clinician-entries-patient-times-phone-200.png"))
    page.get_by_test_id("patient-zone").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "clinician-patient-zone-phone-200.png"))
    page.goto("/clinician")
    page.get_by_test_id("clinician-row").first.wait_for()
    small_phone_at_night(page)
    page.get_by_test_id("last-entry-time").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "clinician-list-patient-times-phone-200.png"))


def test_alice_reads_a_late_reminders_reason_on_her_own_clock(phone):
    alice = make_user("alice@example.com", Role.PATIENT, timezone="America/New_York")
    seven = datetime.combine(
        timezone.localtime(timezone.now(), ZoneInfo("America/New_York")).date() - timedelta(days=1),
        time(7, 0),
        tzinfo=ZoneInfo("America/New_York"),
    )
    with time_machine.travel(seven - timedelta(hours=1), tick=False):
        reminder_create(
            patient=alice,
            data={
                "kind": "hydration",
                "local_time": time(7, 0),
                "weekdays": list(range(7)),
                "channels": ["push"],
            },
        )
    with time_machine.travel(seven + timedelta(hours=3), tick=False):
        dispatch_due()

    page = phone.new_page()  # the phone is in Berlin; alice's reminders keep New York time
    sign_in(page, "alice@example.com", PASSWORD)
    page.get_by_test_id("quick-cramp").wait_for()
    page.goto("/reminders")
    deliveries = page.get_by_test_id("deliveries-list")
    deliveries.wait_for()
    text = deliveries.inner_text()
    assert "07:00 New York time" in text  # when it was due, on her clock, named as the phone's differs
    assert "Not sent: it was due at 07:00 New York time" in text  # worded for her, not the log line
    assert "UTC" not in text
    small_phone_at_night(page)
    deliveries.locator("li").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "patient-reminders-late-reason-phone-200.png"))
