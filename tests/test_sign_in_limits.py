"""Sign-in limits at their edges: one trusted client address, atomic counters under parallel guesses,
re-authentication before changes that cannot be undone, and answers that reveal nothing."""

import smtplib
import threading

import pyotp
import pytest
import requests
from django.core import mail
from django.test import RequestFactory
from knox.models import AuthToken
from rest_framework.test import APIClient

from diary import tasks
from diary.client_address import client_address
from diary.models import CareLink, ShareCode, User
from tests.conftest import PASSWORD, make_user, require

pytestmark = pytest.mark.django_db


def address_of(settings, monkeypatch, remote: str, forwarded: str | None = None, proxies: str = "0") -> str:
    from config.env import env_proxies

    monkeypatch.setenv("TRUSTED_PROXIES", proxies)
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_NETWORKS = env_proxies("TRUSTED_PROXIES", "0")
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        # No proxy trusted: the header is anyone's to write, and never read.
        ("198.51.100.7", "203.0.113.9", "0", "198.51.100.7"),
        # One proxy: the address it appended, whatever the client wrote before it.
        ("10.0.0.2", "203.0.113.9", "1", "203.0.113.9"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.9", "1", "203.0.113.9"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.5", "2", "203.0.113.9"),
        # Straight to the app, past the proxy, with a header of its own: judged by its own address.
        ("198.51.100.7", "", "1", "198.51.100.7"),
        ("10.0.0.2", "1.2.3.4", "2", "10.0.0.2"),
        # By networks: the right-most address that is not a proxy's.
        ("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.5", "10.0.0.0/8", "203.0.113.9"),
        ("198.51.100.7", "203.0.113.9", "10.0.0.0/8", "198.51.100.7"),  # not from a proxy: not read
        # Garbage where the client should be: the proxy's own address, never the garbage.
        ("10.0.0.2", "1.2.3.4, not-an-address", "1", "10.0.0.2"),
        # IPv6 counts by its /64; an IPv4-mapped address is the IPv4 one.
        ("2001:db8:1:2:aaaa::1", None, "0", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", None, "0", "203.0.113.9"),
    ],
)
def test_the_client_address_is_read_only_where_a_trusted_proxy_put_it(
    settings, monkeypatch, remote, forwarded, proxies, expected
):
    assert address_of(settings, monkeypatch, remote, forwarded, proxies) == expected


def test_a_malformed_trusted_proxies_setting_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_proxies

    monkeypatch.setenv("TRUSTED_PROXIES", "the nginx box")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        env_proxies("TRUSTED_PROXIES", "0")


def behind_one_proxy(settings) -> None:
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_NETWORKS = 1, ()


def from_address(address: str) -> APIClient:
    # The proxy (10.0.0.2) is REMOTE_ADDR for everyone; it appends each client's own address.
    return APIClient(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)


def test_fifty_bad_sign_ins_from_one_address_do_not_lock_out_a_patient_at_another(settings, alice):
    behind_one_proxy(settings)
    attacker = from_address("203.0.113.9")
    for number in range(60):
        attacker.post(
            "/api/v1/auth/login/", {"email": f"u{number}@example.com", "password": "x"}, format="json"
        )
    assert (
        attacker.post(
            "/api/v1/auth/login/", {"email": "u0@example.com", "password": "x"}, format="json"
        ).status_code
        == 429
    )

    at_home = from_address("198.51.100.7")
    response = at_home.post(
        "/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_right_sign_ins_from_an_address_do_not_count_against_it(settings, alice, carol):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    clinic = APIClient(REMOTE_ADDR="198.51.100.7")
    for _ in range(10):  # a clinic's patients signing in all day from its one address
        for user in (alice, carol):
            body = {"email": user.email, "password": PASSWORD}
            assert clinic.post("/api/v1/auth/token/", body, format="json").status_code == 200


def test_a_new_forwarded_header_buys_no_more_registrations(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "register": "3/hour"},
    }
    statuses = []
    for number in range(5):
        client = APIClient(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        body = {"email": f"p{number}@example.com", "password": "stockings-and-water", "role": "patient"}
        statuses.append(
            client.post("/api/v1/auth/register/", {**body, "timezone": "UTC"}, format="json").status_code
        )
    assert statuses == [201, 201, 201, 429, 429]
    assert User.objects.count() == 3


def test_behind_the_proxy_registrations_count_per_client_not_per_proxy(settings):
    behind_one_proxy(settings)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "register": "1/hour"},
    }
    for number in range(3):
        body = {"email": f"p{number}@example.com", "password": "stockings-and-water", "role": "patient"}
        response = from_address(f"192.0.2.{number}").post(
            "/api/v1/auth/register/", {**body, "timezone": "UTC"}, format="json"
        )
        assert response.status_code == 201


# --- Atomic counters, on the real Redis and PostgreSQL, with parallel requests -----------------------


def in_parallel(count: int, send, threads: int = 8) -> list[int]:
    """`count` requests sent by `threads` threads started at the same moment; their status codes.

    Eight at a time: the test server's listen queue takes ten connections, and more at once are reset.
    """
    start = threading.Barrier(threads)
    statuses: list = []

    def share(first: int):
        session = requests.Session()
        start.wait()
        for number in range(first, count, threads):
            try:
                statuses.append(send(session, number).status_code)
            except requests.RequestException as exc:
                statuses.append(repr(exc))

    workers = [threading.Thread(target=share, args=(first,)) for first in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return sorted(statuses, key=str)


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_wrong_passwords_meet_the_limit_of_five_exactly(live_server, redis_cache, settings):
    require(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "PostgreSQL")
    alice = make_user("alice@example.com", "patient", timezone="Europe/Berlin")
    url = f"{live_server.url}/api/v1/auth/login/"

    statuses = in_parallel(
        30, lambda session, _: session.post(url, json={"email": alice.email, "password": "x"})
    )

    assert statuses == [400] * 5 + [429] * 25


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_share_code_guesses_meet_the_limit_of_ten_exactly(live_server, redis_cache, settings):
    require(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "PostgreSQL")
    dave = make_user("dave@example.com", "clinician", timezone="Europe/London")
    token = AuthToken.objects.create(user=dave)[1]
    url = f"{live_server.url}/api/v1/sharing/redeem/"

    def guess(session, number):
        return session.post(
            url, json={"code": f"WRONG{number:05d}"}, headers={"Authorization": f"Token {token}"}
        )

    assert in_parallel(40, guess) == [400] * 10 + [429] * 30


def test_redis_cache_a_failure_counter_is_one_key_that_ends_with_its_window(redis_cache, anonymous, alice):
    for _ in range(3):
        anonymous.post("/api/v1/auth/login/", {"email": alice.email, "password": "x"}, format="json")
    [key] = redis_cache.keys("crampwise:failures:login-email:*")
    assert int(redis_cache.get(key)) == 3
    assert 0 < redis_cache.ttl(key) <= 15 * 60


def test_a_right_share_code_after_wrong_ones_still_links(as_alice, as_dave, dave, alice):
    for _ in range(3):
        as_dave.post("/api/v1/sharing/redeem/", {"code": "WRONGWRONG"}, format="json")
    code = as_alice.post("/api/v1/sharing/codes/").json()["code"]
    assert as_dave.post("/api/v1/sharing/redeem/", {"code": code}, format="json").status_code == 201
    assert CareLink.objects.filter(patient=alice, clinician=dave).exists()
    assert ShareCode.objects.filter(patient=alice, redeemed_by=dave).exists()


# --- Password reset: queued, alike for every address, never a 500 ----------------------------------


def test_a_password_reset_is_queued_and_the_request_looks_nothing_up(
    anonymous, alice, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued, django_assert_num_queries(0):
        known = anonymous.post("/api/v1/auth/password-reset/", {"email": alice.email}, format="json")
    with django_capture_on_commit_callbacks() as queued_too, django_assert_num_queries(0):
        unknown = anonymous.post(
            "/api/v1/auth/password-reset/", {"email": "nobody@example.com"}, format="json"
        )

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(queued) == len(queued_too) == 1
    assert mail.outbox == []  # nothing sent inside the request


def test_with_the_mail_server_down_a_reset_still_answers_202_and_the_worker_tries_again(
    anonymous, alice, monkeypatch, django_capture_on_commit_callbacks
):
    tries = []

    def smtp_down(*args, **kwargs):
        tries.append(1)
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("diary.services.accounts.send_mail", smtp_down)
    sent = []
    monkeypatch.setattr(tasks.send_password_reset, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post("/api/v1/auth/password-reset/", {"email": alice.email}, format="json")
    assert response.status_code == 202
    assert sent == [(alice.email,)]

    # Run eagerly, the worker's retries follow one another at once: one try and five more, then it stops.
    result = tasks.send_password_reset.apply(sent[0])
    assert len(tries) == 6
    assert result.state == "FAILURE"


def test_with_the_broker_down_a_reset_still_answers_202(
    anonymous, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(*args):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.send_password_reset, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post("/api/v1/auth/password-reset/", {"email": alice.email}, format="json")
    assert response.status_code == 202


# --- Re-authentication: the password change and the erasure -----------------------------------------


def test_wrong_current_passwords_at_a_password_change_are_throttled(as_alice, alice):
    body = {"current_password": "guess", "new_password": "fresh-legs-2027"}
    statuses = [
        as_alice.post("/api/v1/auth/password-change/", body, format="json").status_code for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    right = {"current_password": PASSWORD, "new_password": "fresh-legs-2027"}
    assert as_alice.post("/api/v1/auth/password-change/", right, format="json").status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.parametrize("body", [None, {}, {"password": ""}, {"password": "wrong"}])
def test_erasing_an_account_needs_its_password_and_erases_nothing_without_it(as_alice, alice, body):
    response = as_alice.delete("/api/v1/account/", body, format="json")
    assert response.status_code == 400
    assert "password" in response.json()
    assert User.objects.filter(pk=alice.pk).exists()


def test_erasing_an_account_with_two_factor_on_needs_the_code_too(as_alice, alice):
    secret = as_alice.post("/api/v1/auth/2fa/setup/").json()["secret"]
    totp = pyotp.TOTP(secret)
    as_alice.post("/api/v1/auth/2fa/confirm/", {"otp": totp.now()}, format="json")

    without = as_alice.delete("/api/v1/account/", {"password": PASSWORD}, format="json")
    wrong = as_alice.delete("/api/v1/account/", {"password": PASSWORD, "otp": "000000"}, format="json")
    assert without.status_code == wrong.status_code == 400
    assert "otp" in without.json() and "otp" in wrong.json()
    assert User.objects.filter(pk=alice.pk).exists()

    alice.refresh_from_db()
    alice.totp_last_step = None  # the code used to turn it on may be the current one: take the next
    alice.save(update_fields=["totp_last_step"])
    response = as_alice.delete("/api/v1/account/", {"password": PASSWORD, "otp": totp.now()}, format="json")
    assert response.status_code == 204
    assert not User.objects.filter(pk=alice.pk).exists()


def test_guessing_the_password_to_erase_an_account_is_throttled(as_alice, alice):
    statuses = [
        as_alice.delete("/api/v1/account/", {"password": f"guess-{n}"}, format="json").status_code
        for n in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    assert as_alice.delete("/api/v1/account/", {"password": PASSWORD}, format="json").status_code == 429
    assert User.objects.filter(pk=alice.pk).exists()


# --- Turning two-factor on ends what a password alone opened -----------------------------------------


def test_turning_two_factor_on_ends_every_other_session_and_token_but_this_one(alice):
    phone = APIClient()
    phone.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    stolen = APIClient()
    stolen_token = stolen.post(
        "/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json"
    )
    stolen.credentials(HTTP_AUTHORIZATION=f"Token {stolen_token.json()['token']}")
    other_browser = APIClient()
    other_browser.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    assert stolen.get("/api/v1/profile/").status_code == 200

    phone_csrf = phone.get("/api/v1/auth/csrf/").cookies["csrftoken"].value
    phone.credentials(HTTP_X_CSRFTOKEN=phone_csrf)
    secret = phone.post("/api/v1/auth/2fa/setup/").json()["secret"]
    confirmed = phone.post("/api/v1/auth/2fa/confirm/", {"otp": pyotp.TOTP(secret).now()}, format="json")
    assert confirmed.status_code == 200

    assert stolen.get("/api/v1/profile/").status_code == 401
    assert other_browser.get("/api/v1/profile/").status_code in (401, 403)
    assert phone.get("/api/v1/profile/").status_code == 200


def test_turning_two_factor_on_with_a_token_keeps_that_token(anonymous, alice):
    token = anonymous.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json")
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    other = anonymous.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json")
    secret = app.post("/api/v1/auth/2fa/setup/").json()["secret"]
    assert (
        app.post("/api/v1/auth/2fa/confirm/", {"otp": pyotp.TOTP(secret).now()}, format="json").status_code
        == 200
    )
    assert app.get("/api/v1/profile/").status_code == 200
    gone = APIClient()
    gone.credentials(HTTP_AUTHORIZATION=f"Token {other.json()['token']}")
    assert gone.get("/api/v1/profile/").status_code == 401


def test_many_addresses_asking_for_one_persons_reset_send_three_an_hour(
    settings, alice, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks.send_password_reset, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(6):
            client = APIClient(REMOTE_ADDR=f"192.0.2.{number}")
            response = client.post("/api/v1/auth/password-reset/", {"email": alice.email}, format="json")
            assert response.status_code == 202  # the same answer every time: nothing to learn
    assert queued == [(alice.email,)] * 3


def test_the_session_that_changed_the_password_stays_listed_and_ends_with_the_others_later(alice):
    from diary.models import LoginSession
    from diary.services.accounts import sign_out_everywhere

    phone = APIClient()
    phone.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD}, format="json")
    phone.credentials(HTTP_X_CSRFTOKEN=phone.get("/api/v1/auth/csrf/").cookies["csrftoken"].value)
    body = {"current_password": PASSWORD, "new_password": "fresh-legs-2027"}
    assert phone.post("/api/v1/auth/password-change/", body, format="json").status_code == 200
    assert phone.get("/api/v1/profile/").status_code == 200
    assert LoginSession.objects.filter(session_key=phone.cookies["sessionid"].value).exists()

    sign_out_everywhere(user=alice)
    assert phone.get("/api/v1/profile/").status_code in (401, 403)


def test_on_the_file_cache_of_make_run_parallel_counts_never_repeat(settings, tmp_path):
    from diary.limits import count_attempt

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    counts: list[int] = []
    start = threading.Barrier(8)

    def count_some():
        start.wait()
        for _ in range(10):
            counts.append(count_attempt("failures:test:alice@example.com", window_seconds=900)[0])

    workers = [threading.Thread(target=count_some) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(counts) == list(range(1, 81))
