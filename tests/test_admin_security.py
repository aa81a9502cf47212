"""The Django admin under everyone's rules: staff sign in with their second factor and meet the API's
failure limits, the sessions it opens are recorded and ended like any other, and erasing an account
leaves no admin log entry about the person."""

from datetime import datetime, timedelta

import pyotp
import pytest
import time_machine
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from diary.models import (
    CareLink,
    CheckIn,
    ClaudicationAnswer,
    CompressionWear,
    CrampEpisode,
    Delivery,
    Elevation,
    Hydration,
    LoginSession,
    PatientSummary,
    PushSubscription,
    Reminder,
    Role,
    ShareCode,
    User,
)
from diary.services import accounts, two_factor
from diary.services.records import record_create
from tests.conftest import PASSWORD, make_user
from tests.test_admin import BERLIN, cramp_data, profile_form, root, rows, staff_client, url  # noqa: F401

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
# Django's words for a wrong password or a non-staff account, alike.
NOT_STAFF_OR_WRONG = "Please enter the correct email and password for a staff account."


@pytest.fixture
def staff(db) -> User:
    return make_user("staff@example.com", Role.CLINICIAN, is_staff=True, is_superuser=True)


def turn_on_two_factor(user: User) -> pyotp.TOTP:
    secret, _ = two_factor.totp_setup(user=user)
    totp = pyotp.TOTP(secret)
    two_factor.totp_confirm(user=user, code=totp.now())
    return totp


def half_a_minute_on():
    """Frozen, the next time step: the code that confirmed two-factor is spent, the next one is new."""
    return time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False)


def admin_login(client: Client, email: str, password: str = PASSWORD, otp: str = ""):
    return client.post(LOGIN, {"username": email, "password": password, "otp": otp})


def signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def errors(response) -> str:
    return " ".join(str(error) for error in response.context["form"].errors.values())


# --- Signing in -----------------------------------------------------------------------------------


def test_the_login_page_asks_for_the_code_in_djangos_form(client):
    page = client.get(LOGIN).content.decode()
    assert 'id="login-form"' in page and 'name="password"' in page
    assert 'name="otp"' in page and 'autocomplete="one-time-code"' in page
    assert "Code from your authenticator app" in page


def test_it_lets_staff_without_two_factor_in_with_the_password_when_it_is_not_required(client, staff):
    response = admin_login(client, staff.email)
    assert response.status_code == 302 and response.url == "/admin/"
    assert signed_in(client)


def test_it_refuses_the_password_alone_of_staff_with_two_factor_on(client, staff):
    turn_on_two_factor(staff)
    response = admin_login(client, staff.email)
    assert response.status_code == 200
    assert "Enter the 6-digit code" in errors(response)
    assert not signed_in(client)


def test_it_refuses_a_wrong_code(client, staff):
    turn_on_two_factor(staff)
    response = admin_login(client, staff.email, otp="000000")
    assert "not right" in errors(response)
    assert not signed_in(client)


def test_it_lets_staff_in_with_the_password_and_a_right_code(client, staff):
    totp = turn_on_two_factor(staff)
    with half_a_minute_on():
        response = admin_login(client, staff.email, otp=totp.now())
        assert response.status_code == 302 and response.url == "/admin/"
        assert signed_in(client)


def test_a_code_used_once_is_refused_the_second_time(staff):
    totp = turn_on_two_factor(staff)
    with half_a_minute_on():
        code = totp.now()
        assert admin_login(Client(), staff.email, otp=code).status_code == 302
        second = Client()
        response = admin_login(second, staff.email, otp=code)
        assert "used already" in errors(response)
        assert not signed_in(second)


def test_it_refuses_a_patient_as_djangos_admin_does(client, alice):
    response = admin_login(client, alice.email)
    assert response.status_code == 200
    assert NOT_STAFF_OR_WRONG in errors(response)
    assert not signed_in(client)


def test_fifteen_wrong_passwords_then_the_right_one_is_refused_here_and_in_the_api(client, staff):
    for _ in range(15):
        admin_login(client, staff.email, password="wrong-password")
    response = admin_login(client, staff.email)
    assert "Too many failed sign-ins. Wait 15 minutes" in errors(response)
    assert not signed_in(client)
    api = APIClient().post("/api/v1/auth/login/", {"email": staff.email, "password": PASSWORD}, format="json")
    assert api.status_code == 429


def test_wrong_passwords_in_the_api_and_in_the_admin_add_up(client, staff):
    for _ in range(3):
        body = {"email": staff.email, "password": "wrong-password"}
        assert APIClient().post("/api/v1/auth/login/", body, format="json").status_code == 400
    for _ in range(2):
        assert NOT_STAFF_OR_WRONG in errors(admin_login(client, staff.email, password="wrong-password"))
    # The sixth attempt for the email, right as it is, meets the limit of five failures.
    assert "Too many failed sign-ins" in errors(admin_login(client, staff.email))


def test_wrong_passwords_for_many_emails_from_one_address_are_stopped_too(client, staff, settings):
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        admin_login(client, f"someone-{n}@example.com", password="wrong-password")
    assert "Too many failed sign-ins" in errors(admin_login(client, staff.email))
    assert not signed_in(client)


# --- Two-factor required of staff -----------------------------------------------------------------


def test_with_two_factor_required_staff_without_it_are_told_to_turn_it_on(client, staff, settings):
    settings.REQUIRE_STAFF_2FA = True
    response = admin_login(client, staff.email)
    assert "Profile → Two-factor" in errors(response)
    assert not signed_in(client)


def test_with_two_factor_required_a_wrong_password_says_nothing_of_two_factor(client, staff, settings):
    settings.REQUIRE_STAFF_2FA = True
    text = errors(admin_login(client, staff.email, password="wrong-password"))
    assert NOT_STAFF_OR_WRONG in text and "Two-factor" not in text


def test_with_two_factor_required_staff_with_it_get_in(client, staff, settings):
    settings.REQUIRE_STAFF_2FA = True
    totp = turn_on_two_factor(staff)
    with half_a_minute_on():
        assert admin_login(client, staff.email, otp=totp.now()).status_code == 302
        assert signed_in(client)


def test_with_two_factor_required_a_session_opened_in_the_app_does_not_open_the_admin(settings, staff):
    settings.REQUIRE_STAFF_2FA = True
    client = Client()
    body = {"email": staff.email, "password": PASSWORD}
    assert client.post("/api/v1/auth/login/", body, content_type="application/json").status_code == 200
    assert client.get("/admin/").status_code == 302


# --- The admin's sessions are everyone's sessions -------------------------------------------------


def test_the_admin_session_is_recorded_with_the_users_others(client, staff):
    admin_login(client, staff.email)
    assert LoginSession.objects.filter(user=staff, session_key=client.session.session_key).exists()


@pytest.mark.parametrize(
    "end",
    [
        lambda user: accounts.sign_out_everywhere(user=user),
        lambda user: accounts.password_set(user=user, new_password="new-stockings-2027"),
        lambda user: two_factor.two_factor_reset(user=user),
    ],
    ids=["sign_out_everywhere", "password_set", "two_factor_reset"],
)
def test_ending_the_users_sessions_ends_the_admin_session(client, staff, end):
    admin_login(client, staff.email)
    assert signed_in(client)
    end(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_signing_out_of_the_admin_ends_the_recorded_session(client, staff):
    admin_login(client, staff.email)
    key = client.session.session_key
    assert LoginSession.objects.filter(session_key=key).exists()
    assert client.post("/admin/logout/").status_code == 200
    assert not LoginSession.objects.filter(session_key=key).exists()
    assert not signed_in(client)


def test_changing_ones_password_in_the_admin_ends_every_other_session_and_token(client, staff):
    other = Client()
    admin_login(other, staff.email)
    admin_login(client, staff.email)
    AuthToken.objects.create(user=staff)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "new-stockings-2027",
            "new_password2": "new-stockings-2027",
        },
    )
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(other)
    assert not AuthToken.objects.filter(user=staff).exists()


def test_wrong_current_passwords_in_the_admins_password_change_meet_the_limit(client, staff):
    admin_login(client, staff.email)
    body = {"new_password1": "new-stockings-2027", "new_password2": "new-stockings-2027"}
    for _ in range(5):
        client.post("/admin/password_change/", {**body, "old_password": "wrong-password"})
    response = client.post("/admin/password_change/", {**body, "old_password": PASSWORD})
    assert "Too many wrong passwords. Wait 15 minutes" in " ".join(
        response.context["form"].errors["old_password"]
    )
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_staff_cannot_make_a_sign_in_token_for_someone_in_the_admin(staff_client):  # noqa: F811
    # Knox's own admin would hand them a token: signed in as that person, past her second factor.
    assert staff_client.get(url(AuthToken, "add")).status_code == 403


def test_revoking_a_token_in_the_admin_is_logged_without_naming_its_owner(staff_client, alice):  # noqa: F811
    token, _ = AuthToken.objects.create(user=alice)
    assert staff_client.post(url(AuthToken, "delete", token.pk), {"post": "yes"}).status_code == 302
    assert not AuthToken.objects.filter(user=alice).exists()
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert entry.object_id == token.pk
    assert alice.name not in entry.object_repr and alice.email not in entry.object_repr


# --- Erasure takes the admin's log entries about the person ---------------------------------------


def staff_edit_alice_and_her_cramp(staff_client, alice) -> None:  # noqa: F811
    """Staff change her profile and one of her cramps through the admin, as Django logs them."""
    cramp, _ = record_create(
        model=CrampEpisode, patient=alice, data=cramp_data(datetime(2026, 11, 20, 3, 0, tzinfo=BERLIN))
    )
    assert (
        staff_client.post(url(User, "change", alice.pk), profile_form(alice, display_name="Al")).status_code
        == 302
    )
    cramp_form = {
        "patient": alice.pk,
        "started_at_0": "2026-11-20",
        "started_at_1": "02:00:00",
        "duration_seconds": 120,
        "severity": 8,
        "muscle": "calf",
        "side": "left",
        "activity": "sleeping",
    }
    assert staff_client.post(url(CrampEpisode, "change", cramp.pk), cramp_form).status_code == 302


def log_entries_about(row_ids: set, email: str) -> list[LogEntry]:
    return [
        entry for entry in LogEntry.objects.all() if entry.object_id in row_ids or email in entry.object_repr
    ]


def alices_rows(alice) -> list:
    """Her rows of every kind the admin shows: by hand here, where the service walks the relations."""
    by_patient = [
        model.objects.filter(patient=alice)
        for model in (
            CrampEpisode,
            CompressionWear,
            Elevation,
            Hydration,
            CheckIn,
            ShareCode,
            CareLink,
            Reminder,
            PushSubscription,
            ClaudicationAnswer,
            PatientSummary,
        )
    ]
    return [
        User.objects.filter(pk=alice.pk),
        *by_patient,
        Delivery.objects.filter(reminder__patient=alice),
        AuthToken.objects.filter(user=alice),
    ]


def alices_row_ids(alice) -> set[str]:
    return {
        str(pk) for rows_of_a_kind in alices_rows(alice) for pk in rows_of_a_kind.values_list("pk", flat=True)
    }


# Primary keys are UUIDs, stored as text apart from PostgreSQL: the entries are found on both.
@pytest.mark.dbsensitive
def test_erasing_an_account_through_the_api_takes_every_admin_log_entry_about_her(
    staff_client,  # noqa: F811
    alice,
    carol,
    as_alice,
):
    staff_edit_alice_and_her_cramp(staff_client, alice)
    staff_client.post(url(User, "change", carol.pk), profile_form(carol, display_name="Caz"))
    ids = alices_row_ids(alice)
    assert len(log_entries_about(ids, alice.email)) == 2
    response = as_alice.delete("/api/v1/account/", {"password": PASSWORD}, format="json")
    assert response.status_code == 204
    assert log_entries_about(ids, alice.email) == []
    assert LogEntry.objects.filter(object_id=str(carol.pk)).count() == 1  # others' stay


@pytest.mark.dbsensitive
@pytest.mark.parametrize("how", ["delete page", "delete action"])
def test_erasing_an_account_in_the_admin_takes_every_admin_log_entry_about_her(
    staff_client,  # noqa: F811
    root,  # noqa: F811
    alice,
    how,
):
    staff_edit_alice_and_her_cramp(staff_client, alice)
    ids = alices_row_ids(alice)
    if how == "delete page":
        response = staff_client.post(url(User, "delete", alice.pk), {"post": "yes"})
    else:
        response = staff_client.post(
            url(User, "changelist"),
            {"action": "delete_selected", "_selected_action": [alice.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert log_entries_about(ids, alice.email) == []
    # What stays: that this member of staff erased an account, naming no one.
    erased = LogEntry.objects.get(action_flag=DELETION)
    assert (erased.user, erased.object_id, erased.object_repr) == (root, None, "an erased account")


@pytest.mark.dbsensitive
def test_erasure_takes_the_entries_about_every_row_that_goes_with_her(rows, root, alice, carol):  # noqa: F811
    ids = alices_row_ids(alice)
    for queryset in alices_rows(alice):
        assert queryset.exists()
        LogEntry.objects.log_actions(
            user_id=root.pk, queryset=queryset, action_flag=CHANGE, change_message="edited"
        )
    LogEntry.objects.log_actions(
        user_id=root.pk, queryset=User.objects.filter(pk=carol.pk), action_flag=CHANGE
    )
    accounts.account_delete(user=alice)
    assert log_entries_about(ids, alice.email) == []
    assert LogEntry.objects.filter(object_id=str(carol.pk)).exists()


def erasure_queries(patient: User, *, cramps: int, staff: User) -> list[str]:
    """The queries of erasing `patient` after staff edited each of her `cramps` cramps in the admin."""
    for n in range(cramps):
        record_create(
            model=CrampEpisode,
            patient=patient,
            data=cramp_data(datetime(2026, 11, 1, 3, 0, tzinfo=BERLIN) + timedelta(days=n)),
        )
    edited = CrampEpisode.objects.filter(patient=patient)
    LogEntry.objects.log_actions(user_id=staff.pk, queryset=edited, action_flag=CHANGE)
    ids = [str(pk) for pk in edited.values_list("pk", flat=True)]
    with CaptureQueriesContext(connection) as queries:
        accounts.account_delete(user=patient)
    assert len(ids) == cramps and not LogEntry.objects.filter(object_id__in=ids).exists()
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.dbsensitive
def test_erasure_takes_the_same_queries_however_many_entries_there_are(root, alice, carol, dave):  # noqa: F811
    accounts.account_delete(user=dave)  # the content types are read once per process
    few, many = erasure_queries(carol, cramps=1, staff=root), erasure_queries(alice, cramps=25, staff=root)
    assert len(many) == len(few)
    # One DELETE of the entries about her rows (the other is the cascade's, of entries made by her).
    about_her_rows = [
        sql for sql in many if sql.startswith('DELETE FROM "django_admin_log"') and "object_id" in sql
    ]
    assert len(about_her_rows) == 1


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/admin/", ""])
def test_after_sign_in_an_unsafe_or_missing_next_leads_to_the_admin_and_nowhere_else(client, staff, next_url):
    response = client.post(
        f"/admin/login/?next={next_url}", {"username": staff.email, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
