"""The clinician workspace in Chromium on a desktop: bob triages, opens erin's page, downloads her visit
summary; erin then sees bob's reads in her access log."""

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from diary.models import AccessLogEntry, User
from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.test_patient_app import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_bob_triages_opens_erin_downloads_her_summary_and_erin_sees_his_reads(desktop, phone, tmp_path):
    call_command("load_demo", verbosity=0)
    erin = User.objects.get(email="erin@example.com")

    page = desktop.new_page()
    sign_in(page, "bob@example.com")
    rows = page.get_by_test_id("clinician-row")
    rows.first.wait_for()
    assert rows.count() == 3
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
