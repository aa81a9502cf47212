"""Every list endpoint runs a fixed number of queries, whatever the number of rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.models import CareLink, UrgentAlert, User
from diary.services.summaries import summary_refresh
from tests.conftest import make_user
from tests.test_exports_and_erasure import fill_diary

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/v1/cramps/": ("as_alice", 2),
    "/api/v1/compression/": ("as_alice", 2),
    "/api/v1/elevations/": ("as_alice", 2),
    "/api/v1/hydration/": ("as_alice", 2),
    "/api/v1/checkins/": ("as_alice", 2),
    "/api/v1/sharing/links/": ("as_alice", 2),
    "/api/v1/access-log/": ("as_alice", 2),
    # 4: the page with its summaries (none stale: nothing to recompute), its count and whether each patient
    # was logged as seen in the list this hour, in one statement; then the access-log rows in one insert
    # (BEGIN, INSERT, COMMIT).
    "/api/v1/clinician/patients/": ("as_bob", 4),
    "/api/v1/clinician/patients/{alice}/cramps/": ("as_bob", 5),
    "/api/v1/clinician/patients/{alice}/checkins/": ("as_bob", 5),
    # One read per record kind (seven) and per account collection, whatever the diary's size.
    "/api/v1/export/?format=json": ("as_alice", 18),
    # The link, the log row, one read per kind and the profile's takes_diuretics (the medication list).
    "/api/v1/clinician/patients/{alice}/export/?format=csv": ("as_bob", 9),
}


def grow(alice, bob, copies: int) -> None:
    fill_diary(alice, copies=copies)
    for index in range(copies):
        patient = make_user(f"grow{copies}-{index}@example.com", "patient")
        CareLink.objects.create(patient=patient, clinician=bob, clinic_reference=f"REF-{index}")
        fill_diary(patient, copies=1)
        # Open alerts on every other patient: the list counts and sorts them in its one query.
        if index % 2:
            moment = timezone.now() - timedelta(hours=index)
            UrgentAlert.objects.create(
                patient=patient,
                clinician=bob,
                code="emergency_warning",
                evidence_at=moment,
                last_evidence_at=moment,
            )
    # As the refresh task would after those writes: the list then reads summaries only.
    for patient in User.objects.filter(clinician_links__clinician=bob):
        summary_refresh(patient=patient)


@pytest.mark.parametrize("path", LISTS)
def test_a_list_runs_a_fixed_number_of_queries(request, django_assert_max_num_queries, alice, bob, path):
    client_name, limit = LISTS[path]
    client = request.getfixturevalue(client_name)
    url = path.format(alice=alice.pk)
    counts = []
    for copies in (2, 20):
        grow(alice, bob, copies)
        client.get(f"/api/v1/clinician/patients/{alice.pk}/cramps/")  # an access-log row to list
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(limit):
            response = client.get(url)
            assert response.status_code == 200
            response.getvalue()  # a streamed export (the CSV) reads its records while it is sent
        counts.append(len(queries))
    assert counts[0] == counts[1]
