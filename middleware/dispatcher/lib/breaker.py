"""A circuit breaker per cloud: a cloud failing again and again is not
called until a probe finds it back.

``closed``
    calls go through; ``CIRCUIT_FAILURES`` failures in a row open it.
``open``
    every call is answered ``503 cloud_circuit_open`` at once, with the
    last error and the time of the next probe, for ``CIRCUIT_OPEN_SECONDS``.
``half_open``
    then one call, the probe, goes through (the others are still answered
    ``503``): its success closes the circuit, its failure opens it again.

A failure is the provider not answering or answering 5xx (a timeout, a
refused connection, ``502``): an answer such as 404, 409 or 429 proves
the cloud is up.  The recent outcomes (the last :data:`WINDOW` calls) give
the cloud's error rate; a closed circuit with recent failures is
``degraded``.

Why not pybreaker: its ``call`` holds the breaker's lock for the whole
call, which would let one call at a time through to each cloud, and its
half-open state lets every waiting call through rather than one probe.
"""

import collections
import datetime
import threading
import time

from dispatcher import errors

#: Calls whose outcome makes the error rate.
WINDOW = 50

CLOSED, OPEN, HALF_OPEN = 'closed', 'open', 'half_open'

#: The failures that count: the cloud did not answer, or answered 5xx.
FAILURES = (errors.CloudTimeout, errors.ProviderError)


def counts_as_failure(error):
    """Whether ``error`` says the cloud is down (not the caller wrong)."""
    if isinstance(error, errors.CloudUnavailable):
        return error.code not in ('cloud_busy', 'cloud_circuit_open')
    if isinstance(error, errors.ProviderError):
        return int(getattr(error, 'status', 502) or 502) >= 500
    return isinstance(error, FAILURES)


class Breaker(object):
    """The circuit of one cloud.

    :param cloud: the cloud's name.
    :param failures: failures in a row that open the circuit (0: never).
    :param open_seconds: how long it stays open before a probe.
    :param on_change: ``on_change(cloud, old, new, last_error)``, called
        after each change of state (never under the breaker's lock).
    """

    def __init__(
        self,
        cloud,
        failures=5,
        open_seconds=30.0,
        on_change=None,
        clock=time.time,
    ):
        self.cloud = cloud
        self.failures = int(failures)
        self.open_seconds = float(open_seconds)
        self.on_change = on_change
        self._clock = clock
        self._lock = threading.Lock()
        self.state = CLOSED
        self._in_a_row = 0
        self._opened_at = None
        self._probing = False
        self._recent = collections.deque(maxlen=WINDOW)
        self.last_error = None

    def before(self):
        """Let a call through, or raise ``503 cloud_circuit_open``.

        :returns: whether this call is the probe of a half-open circuit.
        """
        changed = None
        with self._lock:
            if self.state == CLOSED:
                return False
            now = self._clock()
            if self.state == OPEN and now >= self._next_probe():
                changed = (self.state, HALF_OPEN)
                self.state = HALF_OPEN
            if self.state == HALF_OPEN and not self._probing:
                self._probing = True
                probe = True
            else:
                probe = False
                refusal = self._refusal(now)
        if changed:
            self._notify(*changed)
        if not probe:
            raise refusal
        return True

    def record(self, error=None, probe=False):
        """Note the outcome of a call (``error``: its translated error)."""
        failed = error is not None and counts_as_failure(error)
        changed = None
        with self._lock:
            self._recent.append(failed)
            if probe:
                self._probing = False
            if failed:
                self.last_error = error.to_dict()
                self._in_a_row += 1
                if self.state == HALF_OPEN or (
                    self.state == CLOSED
                    and self.failures
                    and self._in_a_row >= self.failures
                ):
                    changed = (self.state, OPEN)
                    self.state = OPEN
                    self._opened_at = self._clock()
            else:
                self._in_a_row = 0
                if self.state == HALF_OPEN and probe:
                    changed = (self.state, CLOSED)
                    self.state = CLOSED
        if changed:
            self._notify(*changed)

    def release(self, probe):
        """A call let through never reached the provider: if it was the
        probe, the next call probes instead."""
        if probe:
            with self._lock:
                self._probing = False

    def _next_probe(self):
        return (self._opened_at or 0.0) + self.open_seconds

    def _refusal(self, now):
        at = _iso(self._next_probe())
        last = (self.last_error or {}).get('message', 'unknown')
        return errors.CloudUnavailable(
            'cloud %r is failing: its circuit is open after %d failures in '
            'a row (last: %s); the next probe is at %s'
            % (self.cloud, self._in_a_row, last, at),
            cloud=self.cloud,
            code='cloud_circuit_open',
            headers={
                'Retry-After': str(max(1, int(self._next_probe() - now + 1)))
            },
            details={'last_error': self.last_error, 'next_probe_at': at},
        )

    def _notify(self, old, new):
        if self.on_change is not None:
            self.on_change(self.cloud, old, new, self.last_error)

    def health(self):
        """The cloud's health as ``GET /v1/clouds`` shows it."""
        with self._lock:
            recent = list(self._recent)
            rate = sum(recent) / len(recent) if recent else 0.0
            if self.state != CLOSED:
                status = 'open'
            elif any(recent[-10:]):
                status = 'degraded'
            else:
                status = 'ok'
            return {
                'status': status,
                'circuit': self.state,
                'error_rate': round(rate, 3),
                'recent_calls': len(recent),
                'last_error': self.last_error,
                'next_probe_at': (
                    _iso(self._next_probe()) if self.state == OPEN else None
                ),
            }


def _iso(timestamp):
    return (
        datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
        .isoformat(timespec='seconds')
        .replace('+00:00', 'Z')
    )
