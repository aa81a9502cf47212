"""Counting repeated failures (wrong passwords, wrong share codes) so that guessing meets a 429.

Plain request-rate throttles would also slow honest use; these count only failures, in the
shared cache, per key (an email, a client address, a user) over a fixed window.
"""

import time

from django.core.cache import cache
from rest_framework.exceptions import Throttled


class FailureLimit:
    def __init__(self, scope: str, *, limit: int, window_seconds: int):
        self.scope = scope
        self.limit = limit
        self.window = window_seconds

    def _key(self, key: str) -> str:
        return f"failures:{self.scope}:{key.lower()}"

    def check(self, key: str) -> None:
        """Raise Throttled (429 with Retry-After) if this key has failed too often lately."""
        record = cache.get(self._key(key))
        if record and record["count"] >= self.limit:
            wait = max(1, int(record["since"] + self.window - time.time()))
            raise Throttled(wait=wait, detail="Too many failed attempts. Try again later.")

    def fail(self, key: str) -> None:
        cache_key = self._key(key)
        record = cache.get(cache_key) or {"count": 0, "since": time.time()}
        record["count"] += 1
        remaining = max(1, int(record["since"] + self.window - time.time()))
        cache.set(cache_key, record, timeout=remaining)

    def clear(self, key: str) -> None:
        cache.delete(self._key(key))


def client_address(request) -> str:
    # Behind a proxy, REMOTE_ADDR is the proxy; production sets the real address there (README).
    return request.META.get("REMOTE_ADDR", "unknown")
