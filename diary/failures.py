"""Throttles: repeated failures (wrong passwords, codes) meet a 429, and so does a flood of writes.

Plain request-rate throttles would also slow honest use; these count only failures, in the
shared cache, per key (an email, a client address, a user) over a fixed window.

Every count is one atomic increment taken *before* the guess is checked (a Lua script on Redis,
`cache.add` then `cache.incr` elsewhere): thirty wrong passwords sent at once meet the limit of five
exactly, where a read, a check and a write of the count let a dozen through.

The cache is Redis in production. When it does not answer, the counters fail open (and say so in
the log): a patient's entry or sign-in must not get a 500 because a counter cannot be read.
"""

import contextlib
import fcntl
import functools
import ipaddress
import logging
import math
import threading
import time
from pathlib import Path

import redis
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

log = logging.getLogger(__name__)
CACHE_DOWN = (RedisError, OSError)
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
FILE_BACKEND = "django.core.cache.backends.filebased.FileBasedCache"


def _cached(operation, *args, **kwargs):
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
        for _ in range(3):
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
        counted = _cached(count_attempt, self._key(key), window_seconds=self.window)
        if counted is None:
            return
        count, seconds_left = counted
        if count > self.limit:
            raise Throttled(
                wait=max(1, math.ceil(seconds_left)), detail="Too many failed attempts. Try again later."
            )

    def succeeded(self, key: str) -> None:
        """The attempt was right: it does not count as a failure."""
        if self.forget_on_success:
            _cached(forget_attempts, self._key(key))
        else:
            _cached(uncount_attempt, self._key(key))


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_address(request) -> str:
    """The address of the person making the request, read only where a trusted proxy put it.

    With TRUSTED_PROXIES=N (N proxies in front, each appending the address it saw to X-Forwarded-For),
    the client is the Nth address from the right of X-Forwarded-For; with TRUSTED_PROXIES=networks,
    the right-most address that is not a proxy's. What a client writes to the left of that is never
    read, so no header value can make a request look like it came from elsewhere. With no proxy
    (TRUSTED_PROXIES=0, the default), REMOTE_ADDR.

    IPv6 addresses count by their /64: one household or phone gets a whole /64 to choose from.
    """
    meta = request.META if hasattr(request, "META") else request._request.META
    remote = _ip(meta.get("REMOTE_ADDR", ""))
    count, networks = settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_NETWORKS
    forwarded = [_ip(part) for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    address = remote
    if count and remote is not None:
        chain = [*forwarded, remote]  # the proxy nearest to us is REMOTE_ADDR
        # A request that did not pass every proxy (a short chain) is judged by the nearest hop.
        address = chain[-count - 1] if len(chain) > count else remote
    elif networks and remote is not None and any(remote in net for net in networks):
        for hop in reversed(forwarded):
            address = hop
            if hop is None or not any(hop in net for net in networks):
                break
    if address is None:  # a malformed hop where the client should be: the proxy's own address
        address = remote
    if address is None:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped is not None:  # ::ffff:203.0.113.9 is 203.0.113.9
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class AddressRateThrottle(SimpleRateThrottle):
    """Requests per client address (from `client_address`) and fixed window, for the public endpoints
    that create something (register, password reset). The rate is DRF's `DEFAULT_THROTTLE_RATES[scope]`.

    DRF's own throttles key on a raw X-Forwarded-For, which any client can change, and read then
    rewrite the history: neither holds against someone trying.
    """

    def __init__(self, scope: str):
        self.scope = scope
        # The rates as configured now (DRF's class attribute holds them as they were at import).
        self.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        super().__init__()  # parses the scope's rate into num_requests and duration
        self.wait_seconds = None

    def allow_request(self, request, view):
        address = client_address(request)
        now = time.time()
        window = int(now // self.duration)
        counted = _cached(
            count_attempt, f"throttle:{self.scope}:{address}:{window}", window_seconds=self.duration + 60
        )
        self.wait_seconds = (window + 1) * self.duration - now
        return counted is None or counted[0] <= self.num_requests

    def wait(self):
        return self.wait_seconds


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
