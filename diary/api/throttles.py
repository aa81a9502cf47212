"""DRF throttles: a flood of writes per person, and of creations per client address, meets a 429.

The counters behind them (atomic, shared, failing open when the cache is down) are in diary/limits.py.
"""

import time

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from diary.client_address import client_address
from diary.limits import count_attempt, count_write, fail_open


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
        counted = fail_open(
            count_attempt, f"throttle:{self.scope}:{address}:{window}", window_seconds=self.duration + 60
        )
        self.wait_seconds = (window + 1) * self.duration - now
        return counted is None or counted[0] <= self.num_requests

    def wait(self):
        return self.wait_seconds


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
        count = fail_open(
            count_write,
            f"throttle:writes:{request.user.pk}:{window}",
            window=window,
            timeout=self.duration + 60,
        )
        self.wait_seconds = (window + 1) * self.duration - now
        return count is None or count <= self.num_requests

    def wait(self):
        return self.wait_seconds
