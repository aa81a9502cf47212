"""The check-in asks where each leg was measured (issue 21), in Chromium at phone size: calf or ankle per
leg, nothing chosen until the patient says, a choice that can be cleared back to "not said", and what was
said stored as said."""

import pytest

from diary.models import CheckIn
from tests.e2e.conftest import axe_violations, screenshot, signed_in_on_today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE_390 = {"width": 390, "height": 844}


def test_the_patient_says_calf_or_ankle_per_leg_and_a_site_not_said_stays_null(phone, alice):
    page = signed_in_on_today(phone, alice.email, viewport=PHONE_390)
    page.goto("/checkin")
    left, right = page.get_by_test_id("site-left"), page.get_by_test_id("site-right")
    left.wait_for()
    # Nothing is chosen when the form opens: a site is never defaulted.
    assert left.get_attribute("data-unset") == "true"
    assert right.get_attribute("data-unset") == "true"

    page.get_by_label("Left calf or ankle, cm").fill("24.5")
    left.get_by_role("radio", name="Ankle").check()
    page.get_by_label("Right calf or ankle, cm").fill("37")
    right.get_by_role("radio", name="Calf").check()
    # Changed her mind about the right leg: back to "not said".
    page.get_by_test_id("site-right-clear").click()
    assert right.get_attribute("data-unset") == "true"
    right.get_by_role("radio", name="Calf").check()
    page.get_by_test_id("site-right-clear").click()

    page.get_by_label("Left calf or ankle, cm").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/rules-checkin.png")
    screenshot(page, "checkin-sites-390")
    assert axe_violations(page) == []

    page.get_by_test_id("save-checkin").click()
    page.get_by_test_id("quick-cramp").wait_for()  # saved, and back on Today
    stored = CheckIn.objects.get(patient=alice)
    assert (stored.circumference_left_cm, stored.circumference_site_left) == (24.5, "ankle")
    assert (stored.circumference_right_cm, stored.circumference_site_right) == (37.0, None)
