"""Limits on repeated attempts: counters of failures (wrong passwords, codes) and of writes, per key.

Plain request-rate limits would also slow honest use; `FailureLimit` counts only failures, in the
shared cache, per key (an email, a client address, a user) over a fixed window. The DRF throttles
built on these counters are in diary/api/throttles.py.

Every count is one atomic increment taken *before* the guess is checked (a Lua script on Redis,
`cache.add` then `cache.incr` elsewhere): thirty wrong passwords sent at once meet the limit of five
exactly, where a read, a check and a write of the count let a dozen through.

The cache is Redis in production. When it does not answer, the counters fail open (and say so in
the log): a patient's entry or sign-in must not get a 500 because a counter cannot be read.
"""

import contextlib
import fcntl
import functools
import logging
import math
import threading
import time
from pathlib import Path

import redis
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from rest_framework.exceptions import Throttled

log = logging.getLogger(__name__)
CACHE_DOWN = (RedisError, OSError)
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
FILE_BACKEND = "django.core.cache.backends.filebased.FileBasedCache"


def fail_open(operation, *args, **kwargs):
    """Run a counter operation; None (the limit not applied, and a warning logged) when the cache is down."""
    try:
        return operation(*args, **kwargs)
    except CACHE_DOWN as exc:
        log.warning("cache unavailable, throttle not applied: %s", type(exc).__name__)
        return None


@functools.cache
def _redis(location: str) -> redis.Redis:
    # A Redis that hangs must not hold a patient's entry: give up within half a second (and let it by).
    return redis.Redis.from_url(location, socket_connect_timeout=0.5, socket_timeout=0.5)


def _redis_client() -> redis.Redis | None:
    backend = settings.CACHES["default"]
    return _redis(backend["LOCATION"]) if backend["BACKEND"] == REDIS_BACKEND else None


# One round trip, atomic: the count goes up and, for the first of a window, the window starts. A
# counter found without an end (it cannot happen, but would lock someone out for good) is given one.
_INCREMENT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


def count_attempt(key: str, *, window_seconds: int) -> tuple[int, float]:
    """Add one to the counter `key` (which lives `window_seconds` from its first count) and return the
    count and the seconds left of its window. Atomic, whatever the number of processes."""
    client = _redis_client()
    if client is not None:
        count, ttl = client.eval(_INCREMENT, 1, f"crampwise:{key}", window_seconds)
        return int(count), float(ttl)
    # Django's cache: `add` only creates, `incr` is atomic on the local-memory cache of the tests; the
    # file cache of `make run` reads and writes a file, so its processes and threads take a lock first.
    with _file_cache_lock():
        ends = time.time() + window_seconds
        cache.add(f"{key}:ends", ends, timeout=window_seconds)
        for _try in range(3):
            cache.add(key, 0, timeout=window_seconds)
            try:
                count = cache.incr(key)
            except ValueError:  # it expired between the two calls: start the window again
                continue
            return count, max(0.0, (cache.get(f"{key}:ends") or ends) - time.time())
        return 1, float(window_seconds)


@contextlib.contextmanager
def _file_cache_lock():
    """An exclusive lock across processes (flock) while a file-cache counter is read and written."""
    backend = settings.CACHES["default"]
    if backend["BACKEND"] != FILE_BACKEND:
        yield
        return
    folder = Path(backend["LOCATION"])
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".counters.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def uncount_attempt(key: str) -> None:
    """Take back one count (an attempt that turned out right)."""
    client = _redis_client()
    if client is not None:
        client.decr(f"crampwise:{key}")
        return
    with _file_cache_lock(), contextlib.suppress(ValueError):  # ValueError: already expired
        cache.decr(key)


def forget_attempts(key: str) -> None:
    client = _redis_client()
    if client is not None:
        client.delete(f"crampwise:{key}")
        return
    cache.delete_many([key, f"{key}:ends"])


class FailureLimit:
    """At most `limit` failed attempts per key in a window that starts at the first failure.

    Use: `attempt(key)` before checking the guess (it counts it, and raises Throttled once the key is
    over its limit), then `succeeded(key)` when the guess was right.
    """

    def __init__(self, scope: str, *, limit: int, window_seconds: int, forget_on_success: bool = True):
        self.scope = scope
        self.limit = limit
        self.window = window_seconds
        # An email's count starts again after a right password; an address's keeps its other failures.
        self.forget_on_success = forget_on_success

    def _key(self, key: str) -> str:
        return f"failures:{self.scope}:{key.lower()}"

    def attempt(self, key: str) -> None:
        """Count an attempt; raise Throttled (429 with Retry-After) if it is past the limit."""
        counted = fail_open(count_attempt, self._key(key), window_seconds=self.window)
        if counted is None:
            return
        count, seconds_left = counted
        if count > self.limit:
            raise Throttled(
                wait=max(1, math.ceil(seconds_left)), detail=_("Too many failed attempts. Try again later.")
            )

    def succeeded(self, key: str) -> None:
        """The attempt was right: it does not count as a failure."""
        if self.forget_on_success:
            fail_open(forget_attempts, self._key(key))
        else:
            fail_open(uncount_attempt, self._key(key))


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


def count_write(key: str, *, window: int, timeout: int) -> int:
    """Add one to a counter that lives `timeout` seconds and return it.

    On Redis, a tally kept by this process and synced in batches (SharedTally), on a client kept for
    the process; Django's cache API would make two round trips per write, each on a new client
    object. Other caches (tests, a machine without Redis) count every write as a failure is counted.
    """
    client = _redis_client()
    if client is not None:
        return write_tally.add(
            client,
            f"crampwise:{key}",
            window=window,
            timeout=timeout,
            every=settings.WRITE_COUNT_SYNC_SECONDS,
        )
    return count_attempt(key, window_seconds=timeout)[0]
