"""Push endpoints: only a known push service, read the same way by every parser the sender uses, and
one browser's endpoint stays with the account that subscribed it."""

import os
from datetime import UTC, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler

import pytest
import time_machine

from diary import push
from diary.models import Delivery, PushSubscription
from diary.services import deliveries, reminders
from tests.push_service import FakePushService, LoopbackServer

pytestmark = pytest.mark.django_db

# A Wednesday, 06:00 UTC: 08:00 in Berlin (alice's zone, summer time).
WEDNESDAY_8_BERLIN = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)
PRODUCTION_HOSTS = ["fcm.googleapis.com", "push.services.mozilla.com", "notify.windows.com", "push.apple.com"]
KEYS = {"p256dh": "BPBbNhL0T6TUVKoazgb5YiwEdJWPO6HpHPH5YYhLav7b", "auth": "c2VjcmV0c2VjcmV0"}

# What browsers give: these must keep working.
REAL_ENDPOINTS = [
    "https://fcm.googleapis.com/fcm/send/dGhpcyBpcyBh:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABkx3jE0b9fZ-DxzN8",
    "https://web.push.apple.com/QGx1Y2VudC1zdWJzY3JpcHRpb24",
    "https://wns2-par02p.notify.windows.com/w/?token=AwYAAAB%2bXyZ%2fabc%3d",
    # An `@` after the first `/` is in the path for every parser: the host is still FCM.
    "https://fcm.googleapis.com/fcm/send/x@127.0.0.1",
]

# Forms that some parser reads as another host, or that a browser never writes. Checked with the
# production settings: https only, no loopback in the allow-list.
REFUSED_ENDPOINTS = [
    # A backslash: urllib.parse reads the host after it, urllib3 (and so requests) before it.
    "https://127.0.0.1\\@fcm.googleapis.com/x",
    "https://fcm.googleapis.com\\@127.0.0.1/x",
    "https://fcm.googleapis.com\\x",
    "https://fcm.googleapis.com/fcm\\send/x",
    # User names and passwords, with the allowed host on either side of the `@`.
    "https://user@fcm.googleapis.com/x",
    "https://user:secret@fcm.googleapis.com/x",
    "https://127.0.0.1@fcm.googleapis.com/x",
    "https://fcm.googleapis.com@127.0.0.1/x",
    "https://fcm.googleapis.com:@127.0.0.1/x",
    "https://fcm.googleapis.com?@127.0.0.1/x",
    # Percent-encoding in the host.
    "https://fcm.googleapis.com%40127.0.0.1/x",
    "https://127.0.0.1%40fcm.googleapis.com/x",
    "https://fcm%2egoogleapis.com/x",
    "https://fcm.googleapis.com%2f@127.0.0.1/x",
    # White space and control characters, which some parsers drop and others keep.
    "https://fcm.googleapis.com\t/x",
    "https://fcm.google\napis.com/x",
    "https://127.0.0.1\t@fcm.googleapis.com/x",
    "https://fcm.googleapis.com/x\r\nHost: 127.0.0.1",
    "https://fcm.googleapis.com /x",
    "https://fcm.googleapis.com\x00.evil.example/x",
    # Ports: a browser never writes one.
    "https://fcm.googleapis.com:443/x",
    "https://fcm.googleapis.com:8443/x",
    "https://fcm.googleapis.com:/x",
    "https://fcm.googleapis.com:0443/x",
    # IP addresses in any form.
    "https://127.0.0.1/x",
    "https://2130706433/x",
    "https://0x7f000001/x",
    "https://0177.0.0.1/x",
    "https://0x7f.1/x",
    "https://127.1/x",
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://[::1]:443/x",
    # Names that only look like an allowed host.
    "https://fcm.googleapis.com.evil.example/x",
    "https://evilfcm.googleapis.com/x",
    "https://googleapis.com/x",
    "https://localhost/x",
    "https://FCM.googleapis.com/x",
    "https://fcm.googleapis.com./x",
    "https://fcm.googleapis.com\u3002evil.example/x",
    "https://fcm_1.googleapis.com/x",
    # No host, no scheme, another scheme, no path.
    "https:///fcm.googleapis.com/x",
    "https:fcm.googleapis.com/x",
    "https:/fcm.googleapis.com/x",
    "//fcm.googleapis.com/x",
    "fcm.googleapis.com/x",
    "http://fcm.googleapis.com/x",
    "HTTPS://fcm.googleapis.com/x",
    "ftp://fcm.googleapis.com/x",
    "wss://fcm.googleapis.com/x",
    "file:///etc/passwd",
    "javascript:alert(1)//fcm.googleapis.com/",
    "https://fcm.googleapis.com",
    "https://fcm.googleapis.com?x=1",
    "https://fcm.googleapis.com/x#fragment",
    "",
]

# With the test settings (plain http, the loopback push service allowed): the loopback address in its
# one plain form, and nothing that reaches it some other way.
REFUSED_IN_TESTS = [
    "http://127.0.0.1:8000\\@fcm.googleapis.com/push/x",
    "http://fcm.googleapis.com@127.0.0.1:8000/push/x",
    "http://2130706433:8000/push/x",
    "http://0x7f.0.0.1:8000/push/x",
    "http://127.0.0.01:8000/push/x",
    "http://127.1:8000/push/x",
    "http://127.0.0.1.:8000/push/x",
    "http://x.127.0.0.1:8000/push/x",
    "http://[::1]:8000/push/x",
    "http://127.0.0.1:08000/push/x",
    "http://127.0.0.1:99999/push/x",
    "http://127.0.0.1:8000 /push/x",
]


@pytest.fixture
def production(settings):
    settings.PUSH_ENDPOINT_HOSTS = PRODUCTION_HOSTS
    settings.PUSH_ALLOW_HTTP = False
    return settings


def post_subscription(client, endpoint, keys=KEYS):
    return client.post("/api/v1/push/subscriptions/", {"endpoint": endpoint, "keys": keys}, format="json")


# --- Which endpoints are allowed ---------------------------------------------------------------


@pytest.mark.parametrize("endpoint", REAL_ENDPOINTS)
def test_the_push_services_browsers_use_are_allowed(production, endpoint):
    assert push.endpoint_allowed(endpoint)


@pytest.mark.parametrize("endpoint", REFUSED_ENDPOINTS)
def test_an_endpoint_any_parser_could_read_as_another_host_is_not_allowed(production, endpoint):
    assert not push.endpoint_allowed(endpoint)


@pytest.mark.parametrize("endpoint", [f" {REAL_ENDPOINTS[0]}", f"{REAL_ENDPOINTS[0]}\n"])
def test_an_endpoint_with_white_space_around_it_is_not_allowed(production, endpoint):
    assert not push.endpoint_allowed(endpoint)


def test_the_tests_loopback_push_service_is_allowed_only_in_its_plain_form():
    assert push.endpoint_allowed("http://127.0.0.1:8000/push/x")
    for endpoint in REFUSED_IN_TESTS:
        assert not push.endpoint_allowed(endpoint), endpoint


def test_in_production_neither_the_loopback_address_nor_a_port_is_allowed(production):
    production.PUSH_ENDPOINT_HOSTS = [*PRODUCTION_HOSTS, "127.0.0.1"]
    assert not push.endpoint_allowed("http://127.0.0.1:8000/push/x")
    assert not push.endpoint_allowed("https://127.0.0.1:8000/push/x")
    assert push.endpoint_allowed("https://127.0.0.1/push/x")  # only because the allow-list names it


def test_an_allowed_ip_address_has_no_subdomains(production):
    production.PUSH_ENDPOINT_HOSTS = ["10.0.0.1"]
    assert not push.endpoint_allowed("https://1.10.0.0.1/x")
    assert not push.endpoint_allowed("https://167772161/x")


# --- Subscribing over the API -------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", REFUSED_ENDPOINTS)
def test_subscribing_with_a_disallowed_endpoint_is_a_400_naming_it(as_alice, production, endpoint):
    response = post_subscription(as_alice, endpoint)
    assert response.status_code == 400
    assert "endpoint" in response.json()
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("endpoint", REFUSED_IN_TESTS)
def test_subscribing_past_the_loopback_allowance_is_a_400_naming_it(as_alice, endpoint):
    response = post_subscription(as_alice, endpoint)
    assert response.status_code == 400
    assert "endpoint" in response.json()
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("endpoint", REAL_ENDPOINTS)
def test_subscribing_with_a_real_push_service_works(as_alice, alice, production, endpoint):
    assert post_subscription(as_alice, endpoint).status_code == 201
    assert PushSubscription.objects.get().endpoint == endpoint


# --- The sender checks again -------------------------------------------------------------------


def reminder_for(patient):
    with time_machine.travel(WEDNESDAY_8_BERLIN - timedelta(hours=1), tick=False):
        return reminders.reminder_create(
            patient=patient,
            data={
                "kind": "hydration",
                "local_time": time(8, 0),
                "weekdays": list(range(7)),
                "channels": ["push"],
            },
        )


def dispatch_and_send() -> None:
    with time_machine.travel(WEDNESDAY_8_BERLIN, tick=False):
        for delivery_id in reminders.dispatch_due().pending:
            deliveries.delivery_send(delivery_id=delivery_id)


class Recorder(LoopbackServer):
    """A loopback server that records every request it gets: it must get none."""

    def __init__(self):
        self.requests: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                recorder.requests.append(self.path)
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

        super().__init__(Handler)


class Redirector(LoopbackServer):
    """A push service that answers every push with a redirect to `target`."""

    def __init__(self, target: str):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                self.send_response(307)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler)


def browser_keys() -> dict:
    """Keys a browser could have made, so that a send gets as far as the network."""
    return {"p256dh": push.generate_vapid_keys()[1], "auth": push.b64url(os.urandom(16))}


def test_a_stored_endpoint_that_requests_reads_as_loopback_is_never_posted_to(alice, settings):
    # As if stored before the check was strict: urllib.parse reads fcm.googleapis.com after the
    # backslash, requests connects to the loopback address before it.
    settings.PUSH_ENDPOINT_HOSTS = PRODUCTION_HOSTS
    with Recorder() as loopback:
        endpoint = f"{loopback.origin}\\@fcm.googleapis.com/push/victim"
        PushSubscription.objects.create(patient=alice, endpoint=endpoint, **browser_keys())
        reminder_for(alice)
        dispatch_and_send()
        assert loopback.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.reason == "the push endpoint is not a known push service"
    assert not PushSubscription.objects.exists()


def test_a_stored_endpoint_with_a_user_name_is_never_posted_to(alice):
    with Recorder() as loopback:
        endpoint = loopback.origin.replace("http://", "http://fcm.googleapis.com@") + "/push/victim"
        PushSubscription.objects.create(patient=alice, endpoint=endpoint, **browser_keys())
        reminder_for(alice)
        dispatch_and_send()
        assert loopback.requests == []
    assert Delivery.objects.get().reason == "the push endpoint is not a known push service"


def test_a_push_service_cannot_redirect_a_push_elsewhere(alice):
    with FakePushService() as service, Recorder() as elsewhere:
        info = service.subscribe("someone")
        with Redirector(f"{elsewhere.origin}/internal") as redirector:
            endpoint = f"{redirector.origin}/push/someone"
            PushSubscription.objects.create(patient=alice, endpoint=endpoint, **info["keys"])
            reminder_for(alice)
            dispatch_and_send()
        assert elsewhere.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert "307" in delivery.reason


# --- One browser, one account ------------------------------------------------------------------

ALICES_ENDPOINT = "https://fcm.googleapis.com/fcm/send/alices-phone"


def test_a_patient_cannot_take_over_another_patients_endpoint(as_alice, as_carol, alice):
    assert post_subscription(as_alice, ALICES_ENDPOINT).status_code == 201
    before = PushSubscription.objects.values().get()

    response = post_subscription(as_carol, ALICES_ENDPOINT, keys={"p256dh": "carols-key", "auth": "carols"})

    assert response.status_code == 409
    [message] = response.json()["endpoint"]
    assert "another Crampwise account" in message
    assert "sign out" in message
    assert PushSubscription.objects.values().get() == before
    assert before["patient_id"] == alice.pk


def test_a_patient_posting_her_own_endpoint_again_updates_its_keys(as_alice, alice):
    assert post_subscription(as_alice, ALICES_ENDPOINT).status_code == 201
    new_keys = {"p256dh": "BNewKeyAfterTheBrowserRotatedIt", "auth": "bmV3LWF1dGg"}
    response = post_subscription(as_alice, ALICES_ENDPOINT, keys=new_keys)
    assert response.status_code == 201
    subscription = PushSubscription.objects.get()
    assert (subscription.patient, subscription.p256dh, subscription.auth) == (
        alice,
        new_keys["p256dh"],
        new_keys["auth"],
    )


def test_a_patient_cannot_remove_another_patients_endpoint(as_alice, as_carol, alice):
    post_subscription(as_alice, ALICES_ENDPOINT)
    response = as_carol.delete("/api/v1/push/subscriptions/", {"endpoint": ALICES_ENDPOINT}, format="json")
    assert response.status_code == 204  # says nothing about whether the endpoint exists
    assert PushSubscription.objects.filter(patient=alice, endpoint=ALICES_ENDPOINT).exists()


def test_after_alice_turns_push_off_carol_can_subscribe_that_browser(as_alice, as_carol, carol):
    post_subscription(as_alice, ALICES_ENDPOINT)
    as_alice.delete("/api/v1/push/subscriptions/", {"endpoint": ALICES_ENDPOINT}, format="json")
    assert post_subscription(as_carol, ALICES_ENDPOINT).status_code == 201
    assert PushSubscription.objects.get().patient == carol
