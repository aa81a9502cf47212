"""Throttles: repeated failures (wrong passwords, codes) meet a 429, and so does a flood of writes.

Plain request-rate throttles would also slow honest use; these count only failures, in the
shared cache, per key (an email, a client address, a user) over a fixed window.

The cache is Redis in production. When it does not answer, the counters fail open (and say so in
the log): a patient's entry or sign-in must not get a 500 because a counter cannot be read.
"""

import functools
import logging
import math
import threading
import time

import redis
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.exceptions import Throttled
from rest_framework.throttling import UserRateThrottle

log = logging.getLogger(__name__)
CACHE_DOWN = (RedisError, OSError)


def _cached(operation, *args, **kwargs):
    try:
        return operation(*args, **kwargs)
    except CACHE_DOWN as exc:
        log.warning("cache unavailable, throttle not applied: %s", type(exc).__name__)
        return None


class FailureLimit:
    def __init__(self, scope: str, *, limit: int, window_seconds: int):
        self.scope = scope
        self.limit = limit
        self.window = window_seconds

    def _key(self, key: str) -> str:
        return f"failures:{self.scope}:{key.lower()}"

    def check(self, key: str) -> None:
        """Raise Throttled (429 with Retry-After) if this key has failed too often lately."""
        record = _cached(cache.get, self._key(key))
        if record and record["count"] >= self.limit:
            wait = max(1, int(record["since"] + self.window - time.time()))
            raise Throttled(wait=wait, detail="Too many failed attempts. Try again later.")

    def fail(self, key: str) -> None:
        cache_key = self._key(key)
        record = _cached(cache.get, cache_key) or {"count": 0, "since": time.time()}
        record["count"] += 1
        remaining = max(1, int(record["since"] + self.window - time.time()))
        _cached(cache.set, cache_key, record, timeout=remaining)

    def clear(self, key: str) -> None:
        _cached(cache.delete, self._key(key))


def client_address(request) -> str:
    # Behind a proxy, REMOTE_ADDR is the proxy; production sets the real address there (README).
    return request.META.get("REMOTE_ADDR", "unknown")


@functools.cache
def _redis(location: str) -> redis.Redis:
    # A Redis that hangs must not hold a patient's entry: give up within half a second (and let it by).
    return redis.Redis.from_url(location, socket_connect_timeout=0.5, socket_timeout=0.5)


class SharedTally:
    """Writes per key, counted in this process and added to shared counters in Redis at most once every
    `WRITE_COUNT_SYNC_SECONDS`, in one round trip for every key written since.

    A round trip to Redis on every write cost a write about as much CPU as validating and rendering
    the record (docs/decisions/0019). The count a write is judged by is the shared count as of the
    last sync plus this process's writes since, so a flood spread over several processes is refused
    within about one sync interval of crossing the limit rather than at once: a generous limit for
    floods does not mind. One process alone (tests, one worker) counts exactly.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.unsynced: dict[str, int] = {}
        self.shared: dict[str, int] = {}  # each key's shared count as the last sync returned it
        self.window = None
        self.synced_at = -math.inf

    def add(self, client: redis.Redis, key: str, *, window: int, timeout: int, every: float) -> int:
        """Count one write under `key` and return its count so far, syncing when a sync is due."""
        with self.lock:
            if window != self.window:  # a new window: the old counts are over
                self._reset()
                self.window = window
            self.unsynced[key] = self.unsynced.get(key, 0) + 1
            if time.monotonic() - self.synced_at >= every:
                self._sync(client, timeout)
            return self.shared.get(key, 0) + self.unsynced.get(key, 0)

    def _sync(self, client: redis.Redis, timeout: int) -> None:
        counts, self.unsynced = self.unsynced, {}
        self.synced_at = time.monotonic()
        # The counts leave this process first: if Redis fails, they are lost (the throttle fails open).
        pipe = client.pipeline(transaction=False)
        for key, count in counts.items():
            pipe.incrby(key, count)
            # Each key names its window, so a later end does no harm (EXPIRE NX would need Redis 7).
            pipe.expire(key, timeout)
        replies = pipe.execute()
        self.shared.update(zip(counts, replies[::2], strict=True))

    def clear(self) -> None:
        with self.lock:
            self._reset()


write_tally = SharedTally()


def _count(key: str, *, window: int, timeout: int) -> int:
    """Add one to a counter that lives `timeout` seconds and return it.

    On Redis, a tally kept by this process and synced in batches (SharedTally), on a client kept for
    the process; Django's cache API would make two round trips per write, each on a new client
    object. Other caches (tests, a machine without Redis) count every write through Django's cache.
    """
    backend = settings.CACHES["default"]
    if backend["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        return write_tally.add(
            _redis(backend["LOCATION"]),
            f"crampwise:{key}",
            window=window,
            timeout=timeout,
            every=settings.WRITE_COUNT_SYNC_SECONDS,
        )
    try:
        return cache.incr(key)
    except ValueError:  # the first of its window
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)  # another request added it first


class WriteRateThrottle(UserRateThrottle):
    """Writes per signed-in person (not per address, so a clinic behind one address shares nothing).
    Generous: a phone syncing a few hundred offline entries at once stays far below it.

    One counter per person and fixed window (DRF's own throttle keeps, reads and rewrites the time of
    every request in the window, a cost that grows with the count). A burst across two windows may
    pass up to twice the rate in a short while, which this generous limit does not mind.
    """

    scope = "writes"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS") or not request.user.is_authenticated:
            return True
        now = time.time()
        window = int(now // self.duration)
        # The key names its window, and outlives it a little: it is never read or counted once expired.
        count = _cached(
            _count, f"throttle:writes:{request.user.pk}:{window}", window=window, timeout=self.duration + 60
        )
        self.wait_seconds = (window + 1) * self.duration - now
        return count is None or count <= self.num_requests

    def wait(self):
        return self.wait_seconds
