"""A Web Push service on loopback for the tests: it checks each request's VAPID signature, decrypts the
message with the subscriber's own keys (as the browser would) and records what arrived."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Message:
    subscriber: str
    topic: str | None
    ttl: str | None
    urgency: str | None
    encoding: str | None
    vapid_claims: dict
    payload: dict


@dataclass
class Subscriber:
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    answers: list[int] = field(default_factory=list)  # status codes to answer next, then 201
    retry_after: str | None = None  # the Retry-After header sent with those answers


def verify_vapid(header: str, endpoint_origin: str) -> dict:
    """Check `vapid t=<JWT>, k=<public key>` (RFC 8292): a valid ES256 signature, our audience."""
    parts = dict(part.strip().split("=", 1) for part in header.removeprefix("vapid ").split(","))
    token, key = parts["t"], parts["k"]
    signed, signature = token.rsplit(".", 1)
    raw = b64url_decode(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    public_key.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(b64url_decode(signed.split(".")[1]))
    assert claims["aud"] == endpoint_origin, claims
    assert claims["exp"] > time.time(), claims
    assert claims["sub"].startswith(("mailto:", "https:")), claims
    return claims


class LoopbackServer:
    """An HTTP server on a free loopback port, served from a thread while the `with` block runs."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class FakePushService(LoopbackServer):
    def __init__(self, *, delay: float = 0.0):
        self.delay = delay
        self.subscribers: dict[str, Subscriber] = {}
        self.received: list[Message] = []
        self.refused: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        super().__init__(self._handler())

    def subscribe(self, name: str | None = None) -> dict:
        """A new browser subscription: {endpoint, keys: {p256dh, auth}} as PushManager gives it."""
        name = name or b64url(os.urandom(9))
        private_key = ec.generate_private_key(ec.SECP256R1())
        self.subscribers[name] = Subscriber(private_key=private_key, auth_secret=os.urandom(16))
        public = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.origin}/push/{name}",
            "keys": {"p256dh": b64url(public), "auth": b64url(self.subscribers[name].auth_secret)},
        }

    def answer_next(self, name: str, *statuses: int, retry_after: str | None = None) -> None:
        self.subscribers[name].answers.extend(statuses)
        self.subscribers[name].retry_after = retry_after

    def messages_for(self, name: str) -> list[Message]:
        with self.lock:
            return [message for message in self.received if message.subscriber == name]

    def wait_for(self, count: int, timeout: float = 60) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        with self.lock:
            return list(self.received)

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                name = urlsplit(self.path).path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                subscriber = service.subscribers.get(name)
                if subscriber is None:
                    return self._answer(404)
                if service.delay:
                    time.sleep(service.delay)
                with service.lock:
                    status = subscriber.answers.pop(0) if subscriber.answers else 201
                if status >= 300:
                    with service.lock:
                        service.refused.append((name, status))
                    return self._answer(status, retry_after=subscriber.retry_after)
                claims = verify_vapid(self.headers["Authorization"], service.origin)
                plain = http_ece.decrypt(
                    body,
                    private_key=subscriber.private_key,
                    auth_secret=subscriber.auth_secret,
                    version="aes128gcm",
                )
                message = Message(
                    subscriber=name,
                    topic=self.headers.get("Topic"),
                    ttl=self.headers.get("TTL"),
                    urgency=self.headers.get("Urgency"),
                    encoding=self.headers.get("Content-Encoding"),
                    vapid_claims=claims,
                    payload=json.loads(plain),
                )
                with service.lock:
                    service.received.append(message)
                self._answer(201)

            def _answer(self, status: int, retry_after: str | None = None):
                self.send_response(status)
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler
