"""Web Push transport: one encrypted (aes128gcm), VAPID-signed request to a browser's push service."""

import base64
import json
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

# A reminder that reaches a phone four hours late is no use; the push service may drop it then.
TTL_SECONDS = 4 * 60 * 60
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class PushOutcome:
    delivered: bool = False
    gone: bool = False  # the subscription is dead (404/410): remove it
    retry: bool = False  # worth trying again later (429, 5xx, network)
    reason: str = ""


def is_configured() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


@cache
def _vapid(private_key: str) -> Vapid:
    # Parsing the key is costly; the signing itself is done per send, with fresh claims.
    return Vapid.from_string(private_key=private_key)


@cache
def _session() -> requests.Session:
    # One connection pool per worker process: pushes to the same service reuse the connection.
    return requests.Session()


def endpoint_allowed(endpoint: str) -> bool:
    """Only known push services: the server posts to this URL, so it must not be ours to choose."""
    parts = urlsplit(endpoint)
    if parts.scheme != "https" and not (settings.PUSH_ALLOW_HTTP and parts.scheme == "http"):
        return False
    host = (parts.hostname or "").lower()
    return any(host == allowed or host.endswith("." + allowed) for allowed in settings.PUSH_ENDPOINT_HOSTS)


def send(subscription, payload: dict, *, topic: str) -> PushOutcome:
    if not is_configured():
        return PushOutcome(reason="push is not configured on the server (no VAPID keys)")
    if not endpoint_allowed(subscription.endpoint):
        return PushOutcome(gone=True, reason="the push endpoint is not a known push service")
    # A fresh claims dict per send: pywebpush writes `aud` and `exp` into the one it is given.
    claims = {"sub": settings.VAPID_SUBJECT}
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload),
            vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
            vapid_claims=claims,
            content_encoding="aes128gcm",
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
            headers={"Topic": topic, "Urgency": "normal"},
            requests_session=_session(),
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):
            return PushOutcome(gone=True, reason=f"subscription gone ({status})")
        if status is None or status == 429 or status >= 500:
            return PushOutcome(retry=True, reason=f"push service busy ({status})")
        return PushOutcome(reason=f"push service refused the message ({status})")
    except requests.RequestException as exc:
        return PushOutcome(retry=True, reason=f"push service unreachable ({type(exc).__name__})")
    return PushOutcome(delivered=True)


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
