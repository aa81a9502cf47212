"""What the server sends is in its recipient's language: a reminder's push and email and the weekly
summary in the patient's, an urgent alert in each clinician's own, a password reset in the account's, a
clinic invite in the invitee's (or, with no account yet, the inviter's); English unchanged."""

import json
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import translation

from diary.models import (
    Clinic,
    ClinicMembership,
    ClinicRole,
    Delivery,
    DeliveryStatus,
    PushSubscription,
    Role,
    User,
)
from diary.selectors.weekly import weekly_summary
from diary.services import accounts, clinics, deliveries
from tests.conftest import make_user
from tests.push_service import FakePushService
from tests.test_delivery_batches import due_for, send_batch, walkers
from tests.test_reminders import dispatch, reminder_for, send_all
from tests.test_urgent_alerts import EMERGENCY, PRIVATE_WORDS, log_checkin, worker_inline  # noqa: F401 - fixtures
from tests.test_weekly_summary import (  # noqa: F401 - alices_fortnight: a fixture
    HEALTH_WORDS,
    SUNDAY_18_OCT_19H,
    alices_fortnight,
    at,
    dispatch_at,
    night_cramp,
    stockings,
    weekly_reminder,
)

pytestmark = pytest.mark.django_db

# Words on a German or Spanish lock screen that would tell a passer-by about the patient's health.
HEALTH_WORDS_DE = ("krampf", "nacht", "kompression", "schwell", "vene", "thrombo", "bein", "wade")
HEALTH_WORDS_ES = ("calambre", "noche", "compresi", "hinchaz", "vena", "trombo", "pantorrilla")


@pytest.fixture
def push_service():
    with FakePushService() as service:
        yield service


def subscribe(user, push_service, name: str) -> None:
    info = push_service.subscribe(name)
    PushSubscription.objects.create(
        patient=user, endpoint=info["endpoint"], p256dh=info["keys"]["p256dh"], auth=info["keys"]["auth"]
    )


def speaks(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


# --- Reminders ------------------------------------------------------------------------------------


def test_a_german_patients_reminder_push_is_in_german_and_as_generic_as_the_english(alice, push_service):
    speaks(alice, "de")
    subscribe(alice, push_service, "alices-phone")
    reminder_for(alice, kind="morning_checkin", message="meine linke Wade war geschwollen")
    send_all(dispatch())

    [message] = push_service.messages_for("alices-phone")
    payload = message.payload
    assert payload["title"] == "Zeit für Ihre Beine"
    assert payload["body"] == "Ihre Tagesabfrage am Morgen"
    assert [action["title"] for action in payload["actions"]] == ["Erledigt", "30 Min. später"]
    # The codes stay as they are: the service worker reads them.
    assert [action["action"] for action in payload["actions"]] == ["done", "snooze"]
    assert payload["kind"] == "morning_checkin"
    assert "geschwollen" not in str(payload)
    # "Beine" is the title's "legs", as the English says; nothing else about the body.
    text = (payload["body"] + json.dumps([a["title"] for a in payload["actions"]])).lower()
    assert not [word for word in HEALTH_WORDS_DE if word in text]


def test_a_german_patients_reminder_email_is_in_german(alice):
    speaks(alice, "de")
    reminder_for(alice, kind="compression_on", channels=("email",))
    send_all(dispatch())

    [email] = mail.outbox
    assert email.subject == "Zeit für Ihre Beine"
    assert email.body.startswith("Strümpfe anziehen.\n\nÖffnen Sie Crampwise, um es einzutragen: http")
    assert "Sie erhalten diese E-Mail, weil Sie in Crampwise eine Erinnerung eingerichtet haben" in email.body
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_one_batch_words_each_patients_push_in_their_own_language_for_a_bounded_number_of_queries(
    alice, carol, push_service, django_assert_max_num_queries
):
    speaks(alice, "de")
    speaks(carol, "es")
    others = walkers(198)  # English, the default
    patients = [alice, carol, *others]
    for n, patient in enumerate(patients):
        subscribe(patient, push_service, f"phone{n}")
    due_for(*patients)
    ids = dispatch()
    assert len(ids) == deliveries.DELIVERY_BATCH

    # The same bound as an English batch (test_delivery_batches): the recipient is loaded with the
    # delivery, so the language costs no query.
    with django_assert_max_num_queries(30) as queries:
        send_batch(ids)
    # The recipients come joined to their deliveries: nobody's row is read on its own.
    users = User._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'SELECT "{users}"')]
    bodies = {n: push_service.messages_for(f"phone{n}")[0].payload for n in (0, 1, 2)}
    assert (bodies[0]["title"], bodies[0]["body"]) == (
        "Zeit für Ihre Beine",
        "Sanft dehnen vor dem Schlafengehen",
    )
    assert (bodies[1]["title"], bodies[1]["body"]) == (
        "Un momento para sus piernas",
        "Un estiramiento suave antes de dormir",
    )
    assert [action["title"] for action in bodies[1]["actions"]] == ["Hecho", "Posponer 30 min"]
    spanish = (bodies[1]["title"] + bodies[1]["body"] + json.dumps(bodies[1]["actions"])).lower()
    assert not [word for word in HEALTH_WORDS_ES if word in spanish]
    assert (bodies[2]["title"], bodies[2]["body"]) == ("Time for your legs", "A gentle stretch before bed")
    assert [action["title"] for action in bodies[2]["actions"]] == ["Done", "Snooze 30 min"]
    # The worker's own language is left as it was.
    assert translation.get_language() == "en"


def test_an_english_patients_reminder_email_is_unchanged(alice):
    reminder_for(alice, kind="hydration", channels=("email",))
    send_all(dispatch())

    [email] = mail.outbox
    assert email.subject == "Time for your legs"
    assert email.body == (
        "A glass of water.\n\n"
        f"Open Crampwise to log it: {settings.PUBLIC_BASE_URL}/\n\n"
        "You get this email because you set a reminder in Crampwise; change it in the app."
    )


# --- Urgent alerts ------------------------------------------------------------------------------


def test_a_spanish_clinicians_urgent_alert_is_in_spanish_while_the_patient_is_german(
    log_checkin,  # noqa: F811
    alice,
    bob,
    dave,
    push_service,
):
    speaks(alice, "de")
    speaks(bob, "es")
    subscribe(bob, push_service, "bobs-phone")

    log_checkin(**EMERGENCY)

    [message] = push_service.messages_for("bobs-phone")
    assert message.payload["title"] == "Crampwise"
    assert message.payload["body"] == "El diario de un paciente requiere su atención"
    [email] = [message for message in mail.outbox if message.to == [bob.email]]
    assert email.subject == "El diario de un paciente requiere su atención"
    assert email.body.startswith("El diario de un paciente requiere su atención.\n\n")
    link = f"{settings.PUBLIC_BASE_URL}/clinician"
    assert f"Abra las alertas de sus pacientes en Crampwise: {link}\n\n" in email.body
    assert "Crampwise no es un servicio de emergencias." in email.body
    # Neither the patient nor the warning, in any language.
    text = (json.dumps(message.payload) + email.subject + email.body).lower()
    assert not [word for word in (*PRIVATE_WORDS, "pecho", "respir", "dolor", "pierna") if word in text]


def test_each_clinician_of_a_clinic_is_alerted_in_their_own_language(
    log_checkin,  # noqa: F811
    alice,
    bob,
):
    speaks(bob, "de")
    clinic = Clinic.objects.create(name="Lindqvist Vein Clinic")
    nina = make_user("nina@example.com", Role.CLINICIAN, language="es")
    for member in (bob, nina):
        ClinicMembership.objects.create(clinic=clinic, user=member, role=ClinicRole.CLINICIAN)
    alice.clinician_links.create(clinic=clinic)

    log_checkin(**EMERGENCY)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        bob.email: "Ein Patiententagebuch braucht Ihre Aufmerksamkeit",
        nina.email: "El diario de un paciente requiere su atención",
    }


# --- The weekly summary ---------------------------------------------------------------------------


def test_the_weekly_summary_in_german(alices_fortnight):  # noqa: F811
    with translation.override("de"):
        summary = weekly_summary(alices_fortnight, day=SUNDAY_18_OCT_19H.date(), now=SUNDAY_18_OCT_19H)

    assert summary["title"] == "Ihre Woche, 12.–18. Okt"
    assert summary["sentences"] == [
        "Sie haben diese Woche an 5 von 7 Tagen etwas eingetragen (1 von 7 in der Woche davor).",
        "Krampfnächte: 2 der 5 Nächte, die Sie in der App angegeben haben, gegenüber 1 von 1 in der Woche "
        "davor. 2 Nächte dieser Woche sind unbekannt, nicht krampffrei.",
        "Kompressionsstrümpfe: an 2 Tagen eingetragen, gegenüber 0 in der Woche davor.",
        "Sie haben Ihr Trinkziel (2.000 ml) an 1 der 2 Tage mit eingetragenen Getränken erreicht.",
        "Diese Woche gibt es keinen neuen Hinweis.",
        "Das sind Zahlen aus Ihren Einträgen, keine Diagnose.",
    ]


def test_the_weekly_summary_in_spanish(alices_fortnight):  # noqa: F811
    with translation.override("es"):
        summary = weekly_summary(alices_fortnight, day=SUNDAY_18_OCT_19H.date(), now=SUNDAY_18_OCT_19H)

    assert summary["title"] == "Su semana, 12–18 oct"
    assert summary["sentences"] == [
        "Esta semana registró datos 5 de 7 días (1 de 7 la semana anterior).",
        "Noches con calambres: 2 de las 5 noches sobre las que informó en la aplicación, frente a 1 de 1 "
        "la semana anterior. 2 noches de esta semana son desconocidas, no noches sin calambres.",
        "Medias de compresión: registradas 2 días, frente a 0 la semana anterior.",
        "Alcanzó su objetivo de líquidos (2\xa0000 ml) 1 de los 2 días con bebidas registradas.",
        "Esta semana no hay ninguna observación nueva.",
        "Son recuentos de lo que usted registró, no un diagnóstico.",
    ]


def test_one_night_and_one_day_take_the_singular_in_german_and_spanish(alice):
    night_cramp(alice, at(14, 3))
    stockings(alice, 13)
    for language, nights, days in (
        ("de", "Krampfnächte: 1 von 1 Nacht, die Sie", "an 1 Tag eingetragen"),
        ("es", "Noches con calambres: 1 de 1 noche sobre la que", "registradas 1 día,"),
    ):
        with translation.override(language):
            sentences = weekly_summary(alice, day=SUNDAY_18_OCT_19H.date(), now=SUNDAY_18_OCT_19H)[
                "sentences"
            ]
        assert sentences[1].startswith(nights)
        assert days in sentences[2]


def test_a_german_patients_weekly_email_and_push_are_in_german(alices_fortnight, push_service):  # noqa: F811
    speaks(alices_fortnight, "de")
    subscribe(alices_fortnight, push_service, "alices-phone")
    weekly_reminder(alices_fortnight, channels=("push", "email"))
    pending = dispatch_at(SUNDAY_18_OCT_19H)
    with time_machine.travel(SUNDAY_18_OCT_19H, tick=False):
        deliveries.deliveries_send(delivery_ids=pending)

    [message] = push_service.messages_for("alices-phone")
    assert message.payload["title"] == "Crampwise"
    assert message.payload["body"] == "Ihre Crampwise-Wochenübersicht ist fertig"
    text = json.dumps(message.payload, ensure_ascii=False).lower().replace("crampwise", "")
    assert not [word for word in (*HEALTH_WORDS, *HEALTH_WORDS_DE) if word in text], text
    [email] = mail.outbox
    assert email.subject == "Ihre Crampwise-Wochenübersicht"
    assert email.body.startswith("Ihre Woche, 12.–18. Okt\n\nSie haben diese Woche an 5 von 7 Tagen")
    link = f"{settings.PUBLIC_BASE_URL}/summary/weekly?week=2026-10-18"
    assert f"Lesen Sie sie in Crampwise: {link}\n\n" in email.body
    assert "unter „Erinnerungen“" in email.body


def test_a_spanish_patients_weekly_email_is_in_spanish(alices_fortnight):  # noqa: F811
    speaks(alices_fortnight, "es")
    weekly_reminder(alices_fortnight, channels=("email",))
    [pending] = dispatch_at(SUNDAY_18_OCT_19H)
    with time_machine.travel(SUNDAY_18_OCT_19H, tick=False):
        deliveries.delivery_send(delivery_id=pending)

    [email] = mail.outbox
    assert email.subject == "Su resumen semanal de Crampwise"
    assert "Su semana, 12–18 oct\n\nEsta semana registró datos 5 de 7 días" in email.body
    assert "2 noches de esta semana son desconocidas, no noches sin calambres." in email.body


# --- Password reset and clinic invites ---------------------------------------------------------------


def link_in(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)


def test_a_password_reset_is_in_the_accounts_language_whoever_asked(alice):
    speaks(alice, "de")
    with translation.override("es"):  # the worker's language, or the asker's browser: not the account's
        accounts.password_reset_send(email=alice.email)

    [email] = mail.outbox
    assert email.subject == "Ihr Crampwise-Passwort zurücksetzen"
    assert email.body.startswith(
        "Jemand hat darum gebeten, das Passwort Ihres Crampwise-Kontos zurückzusetzen."
    )
    # The link is whole, with white space after it, as in English.
    assert link_in(email.body).startswith(f"{settings.PUBLIC_BASE_URL}/reset-password?uid=")
    assert "Der Link funktioniert einmal" in email.body


def test_an_english_password_reset_is_unchanged(alice):
    accounts.password_reset_send(email=alice.email)

    [email] = mail.outbox
    assert email.subject == "Reset your Crampwise password"
    assert email.body == (
        "Someone asked to reset the password of your Crampwise account.\n\n"
        f"To choose a new password, open: {link_in(email.body)}\n\n"
        "The link works once and expires in a few hours. If you did not ask, ignore this email."
    )


@pytest.fixture
def bobs_clinic(bob) -> Clinic:
    clinic = Clinic.objects.create(name="Lindqvist Vein Clinic")
    ClinicMembership.objects.create(clinic=clinic, user=bob, role=ClinicRole.ADMIN)
    return clinic


def invite_sent(clinic, inviter, email: str):
    invite = clinics.clinic_invite(clinic=clinic, invited_by=inviter, email=email, role="clinician")
    clinics.clinic_invite_send(invite_id=invite.pk)
    return mail.outbox[-1]


def test_an_invite_to_a_new_address_is_in_the_inviters_language(bob, bobs_clinic):
    speaks(bob, "es")

    email = invite_sent(bobs_clinic, bob, "nora@example.com")

    assert email.subject == "Únase a Lindqvist Vein Clinic en Crampwise"
    assert email.body.startswith(f"{bob.name} le ha invitado a unirse a Lindqvist Vein Clinic en Crampwise")
    assert "/clinic-invite?token=" in link_in(email.body)


def test_an_invite_to_an_existing_account_is_in_that_accounts_language(bob, dave, bobs_clinic):
    speaks(bob, "es")
    speaks(dave, "de")

    email = invite_sent(bobs_clinic, bob, dave.email)

    assert email.subject == "Treten Sie Lindqvist Vein Clinic auf Crampwise bei"
    assert (
        "Melden Sie sich mit dieser Adresse als Ärztin oder Arzt an und öffnen Sie dann: http" in email.body
    )


def test_an_english_invite_is_unchanged(bob, bobs_clinic):
    email = invite_sent(bobs_clinic, bob, "nora@example.com")

    assert email.subject == "Join Lindqvist Vein Clinic on Crampwise"
    assert email.body == (
        f"{bob.name} invited you to join Lindqvist Vein Clinic on Crampwise, to see the diaries patients "
        "share with the clinic.\n\n"
        f"Sign in with this address as a clinician, then open: {link_in(email.body)}\n\n"
        "The link works once and expires in 7 days. If you did not expect this, ignore this email."
    )


def test_an_invite_with_no_inviter_and_no_account_is_in_english(bobs_clinic):
    email = invite_sent(bobs_clinic, None, "nora@example.com")

    assert email.body.startswith("An administrator invited you to join Lindqvist Vein Clinic")
