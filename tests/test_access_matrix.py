"""Who can reach what: every /api/v1/ route and method, for alice, bob, carol, dave and anonymous.

The routes come from the URL configuration itself, so a new endpoint without a row here fails
`test_every_route_has_a_row_in_the_matrix`.
"""

import io
import uuid
from datetime import time, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from pypdf import PdfReader

from diary.kinds import KINDS, by_segment
from diary.models import (
    BulkExport,
    CareLink,
    CheckIn,
    Clinic,
    ClinicInvite,
    ClinicMembership,
    ClinicRole,
    Role,
    UrgentAlert,
)
from diary.services.bulk_export import bulk_export_run
from diary.services.records import record_create
from diary.services.reminders import reminder_create
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db

ROLES = ("alice", "bob", "carol", "dave", "anonymous")
SECRET = "alice-private-note"
# Every kind's collection and its clinician twin get their rows from the registry.
COLLECTIONS = {kind.segment: kind.model for kind in KINDS}
UNAUTHENTICATED = {401, 403}


def api_routes() -> set[tuple[str, str]]:
    """Every (url name, HTTP method) under /api/v1/, read from the URL configuration."""
    found = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith("api/v1/"):
                callback = pattern.callback
                methods = getattr(callback, "actions", None) or {
                    method: None for method in callback.cls.http_method_names
                }
                allowed = set(callback.cls.http_method_names) - {"head", "options"}
                for method in methods:
                    if method in allowed:
                        found.add((pattern.name, method))

    walk(get_resolver().url_patterns, "")
    return found


def pdf_page_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def row(alice, bob, carol, dave, anonymous=UNAUTHENTICATED) -> dict:
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "anonymous": anonymous}


PATIENT_ONLY_OWN = row(200, 403, 200, 403)  # carol gets her own (empty) data, never alice's
ANY_SIGNED_IN = row(200, 200, 200, 200)
PUBLIC_BAD_BODY = row(400, 400, 400, 400, 400)


def record_body(collection: str, patient=None) -> dict:
    return by_segment(collection).example(timezone.now() - timedelta(hours=1), patient)


def record_post(collection: str):
    """The body each role posts: an example entry of its own (a factor entry names the poster's factor;
    nobody signed in posts alice's)."""
    return lambda user, alice: record_body(collection, user if user is not None else alice)


REMINDER = {"kind": "hydration", "local_time": "10:00"}
REMINDER_URL = "/api/v1/reminders/{reminder}/"
FACTOR_URL = "/api/v1/factors/{factor}/"
SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/matrix",
    "keys": {"p256dh": "BNc-key", "auth": "auth-secret"},
}


def matrix() -> dict:
    """(url name, method) -> (path template, body, expected status per role)."""
    table = {}
    for segment in COLLECTIONS:
        collection, detail = f"/api/v1/{segment}/", f"/api/v1/{segment}/{{record}}/"
        table[(f"{segment}-list", "get")] = (collection, None, PATIENT_ONLY_OWN)
        table[(f"{segment}-list", "post")] = (collection, record_post(segment), row(201, 403, 201, 403))
        table[(f"{segment}-detail", "get")] = (detail, None, row(200, 403, 404, 403))
        table[(f"{segment}-detail", "patch")] = (detail, {}, row(200, 403, 404, 403))
        table[(f"{segment}-detail", "delete")] = (detail, None, row(204, 403, 404, 403))
        table[(f"clinician-{segment}", "get")] = (
            f"/api/v1/clinician/patients/{{patient}}/{segment}/",
            None,
            row(403, 200, 403, 404),
        )
    table |= {
        ("auth-register", "post"): ("/api/v1/auth/register/", {}, PUBLIC_BAD_BODY),
        ("auth-login", "post"): ("/api/v1/auth/login/", {}, PUBLIC_BAD_BODY),
        ("auth-token", "post"): ("/api/v1/auth/token/", {}, PUBLIC_BAD_BODY),
        ("auth-password-reset", "post"): ("/api/v1/auth/password-reset/", {}, PUBLIC_BAD_BODY),
        ("auth-password-reset-confirm", "post"): (
            "/api/v1/auth/password-reset/confirm/",
            {},
            PUBLIC_BAD_BODY,
        ),
        ("auth-csrf", "get"): ("/api/v1/auth/csrf/", None, row(200, 200, 200, 200, 200)),
        # The sign-up form's country list: public, and the same for everyone (no patient data).
        ("auth-countries", "get"): ("/api/v1/auth/countries/", None, row(200, 200, 200, 200, 200)),
        ("session-logout", "post"): ("/api/v1/auth/logout/", None, row(204, 204, 204, 204)),
        ("session-password-change", "post"): ("/api/v1/auth/password-change/", {}, row(400, 400, 400, 400)),
        ("two-factor-setup", "post"): ("/api/v1/auth/2fa/setup/", None, ANY_SIGNED_IN),
        ("two-factor-confirm", "post"): ("/api/v1/auth/2fa/confirm/", {"otp": "1"}, row(400, 400, 400, 400)),
        ("two-factor-disable", "post"): ("/api/v1/auth/2fa/disable/", {"otp": "1"}, ANY_SIGNED_IN),
        ("profile", "get"): ("/api/v1/profile/", None, ANY_SIGNED_IN),
        ("profile", "patch"): ("/api/v1/profile/", {}, ANY_SIGNED_IN),
        ("account", "delete"): ("/api/v1/account/", {"password": PASSWORD}, row(204, 204, 204, 204)),
        ("sharing-codes", "post"): ("/api/v1/sharing/codes/", None, row(201, 403, 201, 403)),
        ("sharing-redeem", "post"): (
            "/api/v1/sharing/redeem/",
            {"code": "ABCDEFGHJK"},
            row(403, 400, 403, 400),
        ),
        ("sharing-links-list", "get"): ("/api/v1/sharing/links/", None, ANY_SIGNED_IN),
        ("sharing-links-detail", "delete"): ("/api/v1/sharing/links/{link}/", None, row(204, 403, 404, 403)),
        # Only the link's clinician sets the clinic reference; the patient is refused, dave finds no link.
        ("sharing-links-detail", "patch"): (
            "/api/v1/sharing/links/{link}/",
            {"clinic_reference": "A-1"},
            row(403, 200, 403, 404),
        ),
        ("access-log-list", "get"): ("/api/v1/access-log/", None, PATIENT_ONLY_OWN),
        ("clinician-patients-list", "get"): ("/api/v1/clinician/patients/", None, row(403, 200, 403, 200)),
        ("clinician-export", "get"): (
            "/api/v1/clinician/patients/{patient}/export/?format=csv",
            None,
            row(403, 200, 403, 404),
        ),
        ("export", "get"): ("/api/v1/export/?format=json", None, PATIENT_ONLY_OWN),
        ("trends", "get"): ("/api/v1/trends/?days=30", None, PATIENT_ONLY_OWN),
        ("insights", "get"): ("/api/v1/insights/", None, PATIENT_ONLY_OWN),
        ("clinician-trends", "get"): (
            "/api/v1/clinician/patients/{patient}/trends/?days=30",
            None,
            row(403, 200, 403, 404),
        ),
        ("clinician-insights", "get"): (
            "/api/v1/clinician/patients/{patient}/insights/",
            None,
            row(403, 200, 403, 404),
        ),
        ("claudication-list", "get"): ("/api/v1/claudication/", None, PATIENT_ONLY_OWN),
        ("claudication-list", "post"): (
            "/api/v1/claudication/",
            {"walking_pain": "no"},
            row(201, 403, 201, 403),
        ),
        ("claudication-offer", "get"): ("/api/v1/claudication/offer/", None, PATIENT_ONLY_OWN),
        ("factors-list", "get"): ("/api/v1/factors/", None, PATIENT_ONLY_OWN),
        ("factors-list", "post"): ("/api/v1/factors/", {"name": "Long standing"}, row(201, 403, 201, 403)),
        ("factors-detail", "get"): (FACTOR_URL, None, row(200, 403, 404, 403)),
        ("factors-detail", "patch"): (FACTOR_URL, {}, row(200, 403, 404, 403)),
        # Alice's factor carries her factor entry: deleting it asks first (?with_entries=true).
        ("factors-detail", "delete"): (FACTOR_URL, None, row(409, 403, 404, 403)),
        ("clinician-factors", "get"): (
            "/api/v1/clinician/patients/{patient}/factors/",
            None,
            row(403, 200, 403, 404),
        ),
        ("reminders-list", "get"): ("/api/v1/reminders/", None, PATIENT_ONLY_OWN),
        ("reminders-list", "post"): ("/api/v1/reminders/", REMINDER, row(201, 403, 201, 403)),
        ("reminders-detail", "get"): (REMINDER_URL, None, row(200, 403, 404, 403)),
        ("reminders-detail", "patch"): (REMINDER_URL, {}, row(200, 403, 404, 403)),
        ("reminders-detail", "delete"): (REMINDER_URL, None, row(204, 403, 404, 403)),
        ("reminders-snooze", "post"): (REMINDER_URL + "snooze/", {"minutes": 30}, row(200, 403, 404, 403)),
        ("reminders-done", "post"): (REMINDER_URL + "done/", {}, row(200, 403, 404, 403)),
        ("reminders-deliveries", "get"): ("/api/v1/reminders/deliveries/", None, PATIENT_ONLY_OWN),
        # The weekly word is the patient's own: carol reads hers (empty), never alice's; no clinician's.
        ("summaries-weekly", "get"): ("/api/v1/summaries/weekly/", None, PATIENT_ONLY_OWN),
        ("reminder-actions", "post"): (
            "/api/v1/reminders/actions/",
            {"token": "forged", "action": "done"},
            PUBLIC_BAD_BODY,
        ),
        # Clinicians subscribe too, for urgent alerts; a subscription is only ever the subscriber's own.
        ("push-vapid-key", "get"): ("/api/v1/push/vapid-key/", None, ANY_SIGNED_IN),
        ("push-subscriptions", "post"): (
            "/api/v1/push/subscriptions/",
            SUBSCRIPTION,
            row(201, 201, 201, 201),
        ),
        ("push-subscriptions", "delete"): (
            "/api/v1/push/subscriptions/",
            {"endpoint": SUBSCRIPTION["endpoint"]},
            row(204, 204, 204, 204),
        ),
        # Alice's check-in is urgent (alices_diary): carol has no such warning to acknowledge.
        ("insights-acknowledge", "post"): (
            "/api/v1/insights/acknowledge/",
            {"code": "emergency_warning", "action": "got_help"},
            row(200, 403, 400, 403),
        ),
        # Each clinician's own alerts: dave's list is empty, bob's alert about alice not his to review.
        ("clinician-alerts-list", "get"): ("/api/v1/clinician/alerts/", None, row(403, 200, 403, 200)),
        ("clinician-alerts-review", "post"): (
            "/api/v1/clinician/alerts/{alert}/review/",
            {"note": SECRET},
            row(403, 200, 403, 404),
        ),
    }
    table |= CLINIC_ROWS
    return table


# Bob is the admin of a clinic alice also shares with, nina a member of it (bobs_clinic); dave belongs to
# none. A clinic route answers 404 to anyone outside that clinic, 403 to patients.
CLINIC_ROWS = {
    ("clinics-list", "get"): ("/api/v1/clinics/", None, row(403, 200, 403, 200)),
    ("clinic-members", "get"): ("/api/v1/clinics/{clinic}/members/", None, row(403, 200, 403, 404)),
    ("clinic-member", "delete"): (
        "/api/v1/clinics/{clinic}/members/{member}/",
        None,
        row(403, 204, 403, 404),
    ),
    ("clinic-member", "patch"): (
        "/api/v1/clinics/{clinic}/members/{member}/",
        {"role": "admin"},
        row(403, 200, 403, 404),
    ),
    ("clinic-invites", "post"): (
        "/api/v1/clinics/{clinic}/invites/",
        {"email": "nora@example.com", "role": "clinician"},
        row(403, 201, 403, 404),
    ),
    # Pending invitations are the admins' (bob); nina, a member, gets 403 (see test_clinics.py).
    ("clinic-invites", "get"): ("/api/v1/clinics/{clinic}/invites/", None, row(403, 200, 403, 404)),
    ("clinic-invite", "delete"): (
        "/api/v1/clinics/{clinic}/invites/{invite}/",
        None,
        row(403, 204, 403, 404),
    ),
    # A token nobody was sent: 404 to every clinician (the clinic is not told), 403 to patients.
    ("clinic-invites-lookup", "post"): (
        "/api/v1/clinics/invites/lookup/",
        {"token": "forged"},
        row(403, 404, 403, 404),
    ),
    ("clinic-invites-accept", "post"): (
        "/api/v1/clinics/invites/accept/",
        {"token": "forged"},
        row(403, 400, 403, 400),
    ),
    ("clinic-link", "delete"): (
        "/api/v1/clinics/{clinic}/links/{clinic_link}/",
        None,
        row(403, 204, 403, 404),
    ),
    # FHIR Bulk Data: a 404 to anyone but a member (patients included); the status and files are the
    # asking member's own (bob's export, made in bobs_clinic).
    ("fhir-group-export", "get"): ("/api/v1/fhir/Group/{clinic}/$export", None, row(404, 202, 404, 404)),
    ("fhir-bulk-export-status", "get"): (
        "/api/v1/fhir/bulk-export/{bulk_export}",
        None,
        row(404, 200, 404, 404),
    ),
    ("fhir-bulk-export-status", "delete"): (
        "/api/v1/fhir/bulk-export/{bulk_export}",
        None,
        row(404, 202, 404, 404),
    ),
    ("fhir-bulk-export-file", "get"): (
        "/api/v1/fhir/bulk-export/{bulk_export}/Patient.ndjson",
        None,
        row(404, 200, 404, 404),
    ),
}
# Headers a route needs to answer at all (the Bulk Data kick-off is asynchronous only).
ROUTE_HEADERS = {("fhir-group-export", "get"): {"Prefer": "respond-async"}}
# Routes of one clinic: another clinic's member (olga) and a clinician of no clinic get 404 on each.
ONE_CLINICS_ROUTES = sorted(
    key for key in CLINIC_ROWS if "{clinic}" in CLINIC_ROWS[key][0] or "{bulk_export}" in CLINIC_ROWS[key][0]
)


@pytest.fixture
def bobs_clinic(alice, bob, settings, tmp_path):
    clinic = Clinic.objects.create(name="Lindqvist Vein Clinic")
    ClinicMembership.objects.create(clinic=clinic, user=bob, role=ClinicRole.ADMIN)
    nina = make_user("nina@example.com", Role.CLINICIAN)
    ClinicMembership.objects.create(clinic=clinic, user=nina)
    link = CareLink.objects.create(patient=alice, clinic=clinic)
    # A finished bulk export of the clinic, asked for by bob.
    settings.BULK_EXPORT_ROOT = tmp_path / "bulk-exports"
    export = BulkExport.objects.create(clinic=clinic, requested_by=bob, request_url="http://testserver/x")
    bulk_export_run(export_id=export.pk)
    invite = ClinicInvite.objects.create(
        clinic=clinic,
        email="nora@example.com",
        invited_by=bob,
        digest="0" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {
        "clinic": clinic.pk,
        "member": nina.pk,
        "clinic_link": link.pk,
        "bulk_export": export.pk,
        "invite": invite.pk,
    }


def test_every_route_has_a_row_in_the_matrix():
    assert api_routes() == set(matrix())


@pytest.fixture
def alices_diary(alice, bob):
    """One record of each kind for alice, each carrying a private note or an id only she may see."""
    records = {}
    for segment, model in COLLECTIONS.items():
        data = dict(by_segment(segment).serializer().to_internal_value(record_body(segment, alice)))
        if hasattr(model, "notes"):
            data["notes"] = SECRET
        if model is CheckIn:
            # Urgent: it raises an alert for bob, which only he may see and review.
            data["sudden_chest_pain_or_breathlessness"] = True
        records[segment] = record_create(model=model, patient=alice, data=data, record_id=uuid.uuid4())[0]
    records["factor"] = records["factor-entries"].factor
    records["reminder"] = reminder_create(patient=alice, data={"kind": "hydration", "local_time": time(9, 0)})
    records["alert"] = UrgentAlert.objects.get(patient=alice, clinician=bob)
    bob.refresh_from_db()
    return records


CASES = [(name, method, role) for (name, method) in sorted(matrix()) for role in ROLES]

# A route whose formats are answered by different code has a row for each format beyond the one above:
# (url name, method, format) -> (path, expected status per role).
FORMAT_ROWS = {
    ("export", "get", "csv"): ("/api/v1/export/?format=csv", PATIENT_ONLY_OWN),
    ("export", "get", "pdf"): ("/api/v1/export/?format=pdf&days=28", PATIENT_ONLY_OWN),
    ("clinician-export", "get", "fhir"): (
        "/api/v1/clinician/patients/{patient}/export/?format=fhir",
        row(403, 200, 403, 404),
    ),
    ("clinician-export", "get", "pdf"): (
        "/api/v1/clinician/patients/{patient}/export/?format=pdf",
        row(403, 200, 403, 404),
    ),
}


def test_every_format_row_is_of_a_route_in_the_matrix():
    assert {(name, method) for name, method, _ in FORMAT_ROWS} <= set(matrix())


@pytest.mark.parametrize(
    ("variant", "role"), [(variant, role) for variant in sorted(FORMAT_ROWS) for role in ROLES]
)
def test_the_access_matrix_for_each_format(alices_diary, alice, bob, carol, dave, variant, role):
    template, expected = FORMAT_ROWS[variant]
    client = client_for({"alice": alice, "bob": bob, "carol": carol, "dave": dave}.get(role))

    response = client.get(template.format(patient=alice.pk))

    wanted = expected[role]
    assert response.status_code in (wanted if isinstance(wanted, set) else {wanted}), (variant, role)
    if role in ("carol", "dave", "anonymous"):
        # A PDF's text is compressed: read what it says, not its bytes.
        is_pdf = response.get("Content-Type") == "application/pdf"
        content = pdf_page_text(response.content) if is_pdf else response.content.decode(errors="replace")
        assert SECRET not in content
        assert alice.email not in content
        assert alice.display_name not in content


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_the_access_matrix(request, alices_diary, bobs_clinic, alice, bob, carol, dave, name, method, role):
    template, body, expected = matrix()[(name, method)]
    if callable(body):  # a record's create: the role's own example entry
        body = body({"alice": alice, "bob": bob, "carol": carol, "dave": dave}.get(role), alice)
    segment = name.removesuffix("-detail").removesuffix("-list")
    record = alices_diary.get(segment)
    link = CareLink.objects.get(patient=alice, clinician=bob)
    path = template.format(
        record=record.pk if record else "",
        patient=alice.pk,
        link=link.pk,
        reminder=alices_diary["reminder"].pk,
        alert=alices_diary["alert"].pk,
        factor=alices_diary["factor"].pk,
        **bobs_clinic,
    )
    client = client_for({"alice": alice, "bob": bob, "carol": carol, "dave": dave}.get(role))

    send = getattr(client, method)
    headers = ROUTE_HEADERS.get((name, method), {})
    response = (
        send(path, headers=headers) if body is None else send(path, body, format="json", headers=headers)
    )

    wanted = expected[role]
    assert response.status_code in (wanted if isinstance(wanted, set) else {wanted}), (
        name,
        method,
        role,
        response.content[:300],
    )
    if role in ("carol", "dave", "anonymous"):
        content = response.content.decode(errors="replace")
        assert SECRET not in content
        assert alice.email not in content
        assert not any(str(record.pk) in content for record in alices_diary.values())


@pytest.mark.parametrize("route", ONE_CLINICS_ROUTES)
@pytest.mark.parametrize("intruder", ["member_of_another_clinic", "clinician_of_no_clinic"])
def test_every_route_of_a_clinic_is_a_404_to_anyone_outside_it(bobs_clinic, route, intruder):
    template, body, _ = CLINIC_ROWS[route]
    user = make_user(f"{intruder.replace('_', '-')}@example.com", Role.CLINICIAN)
    if intruder == "member_of_another_clinic":
        other = Clinic.objects.create(name="Other Vein Clinic")
        ClinicMembership.objects.create(clinic=other, user=user, role=ClinicRole.ADMIN)
    send = getattr(client_for(user), route[1])
    path = template.format(**bobs_clinic)
    headers = ROUTE_HEADERS.get(route, {})
    response = (
        send(path, headers=headers) if body is None else send(path, body, format="json", headers=headers)
    )
    assert response.status_code == 404, response.content[:300]
    assert "Lindqvist" not in response.content.decode()
    assert ClinicMembership.objects.filter(user_id=bobs_clinic["member"]).exists()
    assert CareLink.objects.filter(pk=bobs_clinic["clinic_link"]).exists()


# The clinic's triage (issue 17): a clinic's alert and assignment, with another clinic's member (olga) and
# a clinician of no clinic (dave) as intruders. (path, body, method) -> expected status per role.
TRIAGE_ROWS = {
    "assign": ("/api/v1/sharing/links/{clinic_link}/", {"assigned_to": "{member}"}, "patch"),
    "review-clinic-alert": ("/api/v1/clinician/alerts/{clinic_alert}/review/", {"note": SECRET}, "post"),
    "patients-assigned-to-me": ("/api/v1/clinician/patients/?assigned=me", None, "get"),
    "alerts-assigned-to-me": ("/api/v1/clinician/alerts/?assigned=me", None, "get"),
}
TRIAGE_EXPECTED = {
    "assign": {"alice": 403, "bob": 200, "carol": 403, "dave": 404, "olga": 404},
    "review-clinic-alert": {"alice": 403, "bob": 200, "carol": 403, "dave": 404, "olga": 404},
    "patients-assigned-to-me": {"alice": 403, "bob": 200, "carol": 403, "dave": 200, "olga": 200},
    "alerts-assigned-to-me": {"alice": 403, "bob": 200, "carol": 403, "dave": 200, "olga": 200},
}


@pytest.mark.parametrize("route", sorted(TRIAGE_ROWS))
@pytest.mark.parametrize("role", ["alice", "bob", "carol", "dave", "olga"])
def test_the_clinic_triage_routes_answer_only_the_clinics_members(
    bobs_clinic, alice, bob, carol, dave, route, role
):
    olga = make_user("olga@example.com", Role.CLINICIAN)
    other = Clinic.objects.create(name="Other Vein Clinic")
    ClinicMembership.objects.create(clinic=other, user=olga, role=ClinicRole.ADMIN)
    CareLink.objects.filter(pk=bobs_clinic["clinic_link"]).update(assigned_to=bobs_clinic["member"])
    now = timezone.now()
    clinic_alert = UrgentAlert.objects.create(
        patient=alice,
        clinic_id=bobs_clinic["clinic"],
        code="emergency_warning",
        evidence_at=now,
        last_evidence_at=now,
    )
    template, body, method = TRIAGE_ROWS[route]
    values = {**{key: str(value) for key, value in bobs_clinic.items()}, "clinic_alert": str(clinic_alert.pk)}
    path = template.format(**values)
    body = {key: value.format(**values) for key, value in body.items()} if body else None
    client = client_for({"alice": alice, "bob": bob, "carol": carol, "dave": dave, "olga": olga}[role])

    send = getattr(client, method)
    response = send(path) if body is None else send(path, body, format="json")

    assert response.status_code == TRIAGE_EXPECTED[route][role], response.content[:300]
    if role in ("carol", "dave", "olga"):
        content = response.content.decode(errors="replace")
        assert SECRET not in content
        assert alice.email not in content
        assert "Lindqvist" not in content
        assert str(clinic_alert.pk) not in content
    clinic_alert.refresh_from_db()
    assert (clinic_alert.reviewed_at is not None) == (route == "review-clinic-alert" and role == "bob")
