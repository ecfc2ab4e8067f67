"""Per-token rate limiting: a token bucket per caller, per process.

Each caller (a token, or the client address when authentication is off)
has a bucket of ``RATE_LIMIT_PER_MINUTE`` requests that refills at that
rate; a request finding it empty is answered 429 with ``Retry-After``.
The buckets live in the memory of each process, so with N gunicorn
workers a caller may make up to N times the limit: size the setting for
one worker.  ``RATE_LIMIT_PER_MINUTE = 0`` turns the limit off.
"""

import math
import threading
import time

from dispatcher import errors

#: Buckets kept before idle full ones are forgotten.
MAX_BUCKETS = 10000


class RateLimiter(object):
    """Token buckets by caller key, safe to share between threads."""

    def __init__(self, per_minute, clock=time.monotonic):
        self.capacity = float(per_minute)
        self.rate = self.capacity / 60.0
        self._clock = clock
        self._buckets = {}
        self._lock = threading.Lock()

    @property
    def enabled(self):
        """Whether any limit applies."""
        return self.capacity > 0

    def _forget_full(self, now):
        for key, (level, stamp) in list(self._buckets.items()):
            if level + (now - stamp) * self.rate >= self.capacity:
                del self._buckets[key]

    def take(self, key):
        """Take one request from ``key``'s bucket.

        :returns: ``0`` when allowed, else the seconds until it would be.
        """
        if not self.enabled:
            return 0
        with self._lock:
            now = self._clock()
            if key not in self._buckets and len(self._buckets) >= MAX_BUCKETS:
                self._forget_full(now)
            level, stamp = self._buckets.get(key, (self.capacity, now))
            level = min(self.capacity, level + (now - stamp) * self.rate)
            if level >= 1.0:
                self._buckets[key] = (level - 1.0, now)
                return 0
            self._buckets[key] = (level, now)
            return (1.0 - level) / self.rate

    def waiting(self, key):
        """Seconds until ``key``'s bucket holds a request (``0``: now),
        without taking one."""
        if not self.enabled:
            return 0
        with self._lock:
            level, stamp = self._buckets.get(key, (self.capacity, None))
            if stamp is not None:
                level = min(
                    self.capacity, level + (self._clock() - stamp) * self.rate
                )
            return 0 if level >= 1.0 else (1.0 - level) / self.rate

    def check(self, key):
        """Take one request; 429 with ``Retry-After`` if none is left."""
        wait = self.take(key)
        if wait:
            raise errors.RateLimited(
                'too many requests: at most %d a minute for each token; '
                'retry after the Retry-After seconds' % self.capacity,
                retry_after=max(1, math.ceil(wait)),
                code='too_many_requests',
            )
