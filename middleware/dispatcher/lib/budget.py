"""A cloud's call budget: how many calls per second the service makes.

Besides the cap on calls in flight at once (``MAX_CONCURRENCY``), a cloud
may have a rate, ``CALLS_PER_SECOND`` in its farm entry (default: the
``PROVIDER_CALLS_PER_SECOND`` setting; 0, no rate).  Every call of this
process to that cloud takes its turn in the budget before it starts: live
reads, jobs and the rest.  When the provider answers 429 with
``Retry-After``, the whole budget pauses that long: no call of this process
goes to that cloud before then.

The window is kept by the ``limits`` library (the one flask-limiter uses),
with its moving-window strategy: at most N calls in any one-second window,
so a burst never exceeds the rate, which a token bucket would allow after an
idle spell.  Its storage is the memory of this process, or, when the
farm shares its budgets (``CALL_BUDGET_URL``, by default the broker's
Redis), a ``limits`` storage such as Redis: then every process of every
host counts in the same window, and N workers do not make N times the
rate.  Should that storage fail, the process counts alone until it answers
again (a warning says so): the provider's own limits still stand.
"""

import logging
import math
import threading
import time

from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from dispatcher import errors

LOG = logging.getLogger(__name__)

#: Seconds a process counts alone after the shared storage failed.
SHARED_RETRY_SECONDS = 5.0

#: The prefix of the shared windows' keys.
SHARED_KEY_PREFIX = 'mw-budget'


def rate_item(calls_per_second):
    """The ``limits`` item of a rate: per second when it is whole, else
    per minute (0.5 calls per second: 30 per minute)."""
    rate = float(calls_per_second)
    if rate == int(rate):
        return RateLimitItemPerSecond(int(rate))
    return RateLimitItemPerMinute(max(1, int(round(rate * 60))))


class CallBudget(object):
    """The call rate of one cloud in this process.

    :param cloud: the cloud's name (for messages and the window's key).
    :param calls_per_second: the rate; 0 or ``None``: calls are not rated,
        but a provider's ``Retry-After`` still pauses them.
    """

    def __init__(self, cloud, calls_per_second=None, clock=time.time):
        self.cloud = cloud
        try:
            self.calls_per_second = float(calls_per_second or 0)
        except (TypeError, ValueError):
            self.calls_per_second = -1.0
        if isinstance(calls_per_second, bool) or self.calls_per_second < 0:
            raise ValueError(
                'CALLS_PER_SECOND must be a number of calls per second '
                '(0: no rate), not %r' % (calls_per_second,)
            )
        self._item = (
            rate_item(self.calls_per_second) if self.calls_per_second else None
        )
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared = None
        self._shared_failed_at = None
        self._key = 'cloud:%s' % cloud
        self._clock = clock
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def share(self, storage_url):
        """Count this cloud's calls in the ``limits`` storage at
        ``storage_url`` (``redis://...``), shared by every process that
        names it.  Raises ``ValueError`` for a URL ``limits`` cannot use."""
        try:
            storage = storage_from_string(storage_url)
        except Exception as exc:
            raise ValueError(
                'CALL_BUDGET_URL cannot be used: %s' % (str(exc) or exc)
            )
        self._shared = MovingWindowRateLimiter(storage)
        self._key = '%s:cloud:%s' % (SHARED_KEY_PREFIX, self.cloud)

    @property
    def shared(self):
        """Whether the window is shared with other processes."""
        return self._shared is not None

    def _limiter(self):
        if self._shared is None:
            return self._local
        failed = self._shared_failed_at
        if (
            failed is not None
            and time.monotonic() - failed < SHARED_RETRY_SECONDS
        ):
            return self._local
        return self._shared

    def _shared_failed(self, exc):
        if self._shared_failed_at is None:
            LOG.warning(
                'cloud %r: the shared call budget cannot be reached (%s); '
                'this process counts its calls alone until it answers',
                self.cloud,
                type(exc).__name__,
            )
        self._shared_failed_at = time.monotonic()

    def pause(self, seconds):
        """No call starts for ``seconds`` (a provider's ``Retry-After``)."""
        with self._lock:
            self._paused_until = max(
                self._paused_until, self._clock() + float(seconds)
            )

    @property
    def paused_until(self):
        with self._lock:
            return self._paused_until

    def take(self, operation, until):
        """Wait for this call's turn; ``until`` is the ``time.monotonic()``
        past which the call may not wait any longer.

        :raises errors.CloudUnavailable: ``cloud_busy``, when the turn
            would come too late (nothing was asked of the provider).
        """
        while True:
            wait = self._wait()
            if wait <= 0:
                return
            if time.monotonic() + wait > until:
                raise errors.CloudUnavailable(
                    'cloud %r was busy: its call budget (%s) had no room '
                    'for %s in time; nothing was asked of the provider'
                    % (self.cloud, self.describe(), operation),
                    cloud=self.cloud,
                    code='cloud_busy',
                    headers={'Retry-After': str(max(1, math.ceil(wait)))},
                )
            time.sleep(min(wait, 0.25))

    def _wait(self):
        """Seconds to wait before a call may start (0: it starts now and
        has taken its place in the window)."""
        paused = self.paused_until - self._clock()
        if paused > 0:
            return paused
        if self._item is None:
            return 0.0
        limiter = self._limiter()
        try:
            if limiter.hit(self._item, self._key):
                if limiter is self._shared:
                    self._shared_failed_at = None
                return 0.0
            reset, _ = limiter.get_window_stats(self._item, self._key)
        except Exception as exc:
            if limiter is self._local:
                raise
            self._shared_failed(exc)
            return self._wait()
        # A shared window's clock is the storage's: wait at most a window.
        return min(max(0.005, reset - self._clock()), self._window())

    def _window(self):
        return float(self._item.get_expiry())

    def describe(self):
        """``'5 calls/s'``, ``'no rate'``, with a pause if one runs."""
        text = (
            '%g calls/s' % self.calls_per_second
            if self.calls_per_second
            else 'no rate'
        )
        paused = self.paused_until - self._clock()
        if paused > 0:
            text += ', paused %.1f s by the provider' % paused
        return text
