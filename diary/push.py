"""Web Push transport: one encrypted (aes128gcm), VAPID-signed request to a browser's push service."""

import base64
import ipaddress
import json
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from urllib.parse import urlsplit
from urllib.request import getproxies

import urllib3
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException
from requests.utils import DEFAULT_CA_BUNDLE_PATH as CA_BUNDLE
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

# A reminder that reaches a phone four hours late is no use; the push service may drop it then.
TTL_SECONDS = 4 * 60 * 60
CONTENT_ENCODING = "aes128gcm"  # RFC 8291; the older "aesgcm" draft is deprecated
TIMEOUT_SECONDS = 10
MAX_ENDPOINT_LENGTH = 1000  # PushSubscription.endpoint
# A host name as a browser's push service spells it: lower-case labels of letters, digits and hyphens.
# Anything else (upper case, a trailing dot, `%`, brackets, `_`) is not what a browser sends, and is a
# form that some parser may read differently from another.
HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")
# The last label of an IPv4 address in any of the forms URL parsers and resolvers accept: 1, 017, 0x7f.
NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
PORT = re.compile(r"[1-9][0-9]{0,4}")
# A VAPID token names one push service (its origin) and an expiry (RFC 8292: at most 24 h). Several push
# services ask for no more than one new token an hour, so one is signed per origin for 12 h and signed
# anew only when less than an hour of it is left.
VAPID_TOKEN_SECONDS = 12 * 60 * 60
VAPID_RENEW_SECONDS = 60 * 60
# A push service's Retry-After is honoured up to this; longer, and the reminder is no use when it comes.
MAX_RETRY_AFTER_SECONDS = 60 * 60
# Connections kept open per push service in each worker process's pool.
POOL_CONNECTIONS = 10


@dataclass(frozen=True)
class PushOutcome:
    delivered: bool = False
    gone: bool = False  # the subscription is dead (404/410): remove it
    retry: bool = False  # worth trying again later (429, 5xx, network)
    reason: str = ""
    retry_after: int | None = None  # seconds the push service asked us to wait (Retry-After), if it said


def is_configured() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


@cache
def _vapid(private_key: str) -> Vapid:
    # Parsing the key is costly: once per process.
    return Vapid.from_string(private_key=private_key)


def origin(endpoint: str) -> str:
    """The push service an endpoint belongs to, as a VAPID token's `aud` names it: scheme://host[:port]."""
    split = urlsplit(endpoint)
    return f"{split.scheme}://{split.netloc}"


class VapidHeaders:
    """The signed VAPID Authorization header per push-service origin, reused until shortly before it
    expires. One per worker process; the lock makes it safe under a threaded pool too."""

    def __init__(self):
        self._lock = threading.Lock()
        self._signed: dict[tuple[str, str, str], tuple[int, dict]] = {}

    def for_origin(self, audience: str) -> dict:
        # The key and subject are part of the cache key: a test or a key rotation never reuses a token
        # signed with other settings.
        key = (audience, settings.VAPID_PRIVATE_KEY, settings.VAPID_SUBJECT)
        now = int(time.time())
        with self._lock:
            signed = self._signed.get(key)
            # Signed anew when little is left, or when the clock went back (the token would outlive 24 h).
            left = signed[0] - now if signed else 0
            if not VAPID_RENEW_SECONDS <= left <= VAPID_TOKEN_SECONDS:
                expires = now + VAPID_TOKEN_SECONDS
                claims = {"sub": settings.VAPID_SUBJECT, "aud": audience, "exp": expires}
                signed = (expires, _vapid(settings.VAPID_PRIVATE_KEY).sign(claims))
                self._signed[key] = signed
            return dict(signed[1])

    def clear(self) -> None:
        with self._lock:
            self._signed.clear()


vapid_headers = VapidHeaders()


@cache
def _pool(scheme: str) -> urllib3.PoolManager:
    """One connection pool per worker process and scheme: pushes to the same service reuse the connection
    (keep-alive) instead of a new TCP and TLS handshake per push.

    urllib3 itself, not a requests.Session over it: per push, requests' own layers (reading all of
    os.environ for proxies, preparing and merging the request, cookies, hooks) cost more than the
    encryption. The environment's proxy and CA bundle are read here, once, as requests would read them.
    Never retried and never redirected: a push service answers a push, it never sends it elsewhere, and
    following a redirect would let the far end choose the next address this server posts to, past
    `endpoint_allowed`.
    """
    options = {
        "num_pools": POOL_CONNECTIONS,
        "maxsize": POOL_CONNECTIONS,
        "retries": False,
        "timeout": urllib3.Timeout(total=TIMEOUT_SECONDS),
        "ca_certs": os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or CA_BUNDLE,
    }
    proxy = getproxies().get(scheme)
    return urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> int | None:
    """A Retry-After header in seconds (it may be a number of seconds or an HTTP date); None if absent
    or unreadable, capped at MAX_RETRY_AFTER_SECONDS."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        seconds = int((when - (now or datetime.now(when.tzinfo))).total_seconds())
    return min(max(seconds, 0), MAX_RETRY_AFTER_SECONDS)


def _is_ip_literal(host: str) -> bool:
    return host.startswith("[") or bool(NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]))


def _host_allowed(host: str) -> bool:
    allowed = [entry.strip().lower() for entry in settings.PUSH_ENDPOINT_HOSTS]
    if _is_ip_literal(host):
        # Only an address the allow-list names itself (the tests' loopback push service), and only in
        # its one plain dotted form: never 2130706433, 0x7f.1, 0177.0.0.1 or a "subdomain" of it.
        try:
            canonical = str(ipaddress.IPv4Address(host))
        except ValueError:
            return False
        return host == canonical and host in allowed
    if not HOST_NAME.fullmatch(host):
        return False
    return any(host == name or host.endswith("." + name) for name in allowed if not _is_ip_literal(name))


def _parsers_agree(endpoint: str, *, scheme: str, host: str, port: int | None) -> bool:
    """What urllib.parse (which names the VAPID audience) and urllib3 (which connects) make of it: the
    same scheme, host and port, and no user name or password."""
    try:
        split = urlsplit(endpoint)
        parsed = parse_url(endpoint)
        seen = [
            (split.scheme, split.hostname, split.port, split.username is not None),
            (parsed.scheme, parsed.host, parsed.port, parsed.auth is not None),
        ]
    except (ValueError, LocationParseError):
        return False
    return all(each == (scheme, host, port, False) for each in seen)


def endpoint_allowed(endpoint: str) -> bool:
    """Only known push services: the server posts to this URL, so it must not be ours to choose.

    Read strictly, as a browser writes it: `https://<allowed host or a subdomain>/<path>`, and nothing
    that parsers may read differently (a user name, a backslash, white space, an IP address in some
    form, a port, percent-encoding in the host). A port and plain http only when PUSH_ALLOW_HTTP is on
    (the tests' loopback push service); the same check runs before every send.
    """
    if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT_LENGTH:
        return False
    # Printable ASCII only; no backslash (urllib.parse and urllib3 split the authority differently at
    # one) and no fragment (never sent, so nothing a push service needs).
    if not all("!" <= char <= "~" for char in endpoint) or "\\" in endpoint or "#" in endpoint:
        return False
    scheme, separator, rest = endpoint.partition("://")
    if not separator or scheme not in (("https", "http") if settings.PUSH_ALLOW_HTTP else ("https",)):
        return False
    authority, slash, _ = rest.partition("/")
    host, colon, port_text = authority.partition(":")
    if not slash or "@" in authority:
        return False
    port = None
    if colon:
        # A browser never writes the default port; any other is ours to refuse outside the tests.
        if not (settings.PUSH_ALLOW_HTTP and PORT.fullmatch(port_text) and int(port_text) <= 65535):
            return False
        port = int(port_text)
    if not _host_allowed(host):
        return False
    return _parsers_agree(endpoint, scheme=scheme, host=host, port=port)


def send(subscription, payload: dict, *, topic: str) -> PushOutcome:
    if not is_configured():
        return PushOutcome(reason="push is not configured on the server (no VAPID keys)")
    if not endpoint_allowed(subscription.endpoint):
        return PushOutcome(gone=True, reason="the push endpoint is not a known push service")
    # What pywebpush's webpush() does, from its own pieces: WebPusher checks the subscriber's keys and
    # encrypts (per message), the VAPID header is signed once per origin (vapid_headers), and the request
    # goes out on this process's connection pool (_pool).
    try:
        keys = {"p256dh": subscription.p256dh, "auth": subscription.auth}
        pusher = WebPusher({"endpoint": subscription.endpoint, "keys": keys})
        body = pusher.encode(json.dumps(payload).encode(), CONTENT_ENCODING)["body"]
    except WebPushException:
        # A p256dh or auth key it cannot use: trying again would fail the same way.
        return PushOutcome(reason="the subscription's keys cannot be used")
    headers = {
        **vapid_headers.for_origin(origin(subscription.endpoint)),
        "Topic": topic,
        "Urgency": "normal",
        "TTL": str(TTL_SECONDS),
        "Content-Encoding": CONTENT_ENCODING,
    }
    try:
        response = _pool(urlsplit(subscription.endpoint).scheme).request(
            "POST", subscription.endpoint, body=body, headers=headers, redirect=False
        )
    except urllib3.exceptions.HTTPError as exc:
        return PushOutcome(retry=True, reason=f"push service unreachable ({type(exc).__name__})")
    return outcome_of(response.status, response.headers.get("Retry-After"))


def outcome_of(status: int, retry_after: str | None = None) -> PushOutcome:
    """What a push service's answer means for the delivery (RFC 8030: 201 is accepted)."""
    if status <= 202:
        return PushOutcome(delivered=True)
    if status in (404, 410):
        return PushOutcome(gone=True, reason=f"subscription gone ({status})")
    if status == 429 or status >= 500:
        return PushOutcome(
            retry=True, reason=f"push service busy ({status})", retry_after=retry_after_seconds(retry_after)
        )
    return PushOutcome(reason=f"push service refused the message ({status})")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair: (private key, public key) in the base64url forms pywebpush and the
    browser's `applicationServerKey` expect."""
    private = ec.generate_private_key(ec.SECP256R1())
    private_raw = private.private_numbers().private_value.to_bytes(32, "big")
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(private_raw), b64url(public_raw)
