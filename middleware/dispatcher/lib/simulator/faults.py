"""Provider-style errors and fault injection for the simulated cloud.

Errors are the exceptions libcloud's real HTTP drivers raise, so that code
translating provider errors treats the simulator like any real cloud.
"""

import functools
import hmac
import random
import threading
import time

import requests
from libcloud.common.exceptions import BaseHTTPError, RateLimitReachedError
from libcloud.common.types import InvalidCredsError

FAULT_KINDS = (
    'auth',
    'rate_limit',
    'server_error',
    'unavailable',
    'hang',
    'unreachable',
    'lose_answer',
)
DEFAULT_HANG_SECONDS = 30.0


def http_error(code, message):
    """Return the ``BaseHTTPError`` a real driver raises for HTTP ``code``."""
    return BaseHTTPError(code, message)


def bad_request(message):
    return http_error(400, message)


def not_found(message):
    return http_error(404, message)


def conflict(message):
    return http_error(409, message)


def operation(method):
    """Mark a driver method as a public operation of the simulated cloud.

    The driver's :class:`FaultInjector` runs before the method body.
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        target = _target(args, kwargs)
        self._faults.before(method.__name__, self.secret, target)
        result = method(self, *args, **kwargs)
        self._faults.after(method.__name__, target)
        return result

    wrapper.simulated = True
    return wrapper


class FaultInjector(object):
    """Applies latency, credential checks and injected faults to a call."""

    def __init__(
        self,
        host,
        latency,
        failure_rate,
        fail_with,
        fail_operations,
        retry_after,
        timeout,
        hang_seconds,
        expected_secret,
        seed,
        fail_until=None,
        fail_in_bursts=None,
        fail_first=None,
        scope=None,
    ):
        self.host = host
        #: Each resource's first ``fail_first`` calls of an operation fail,
        #: the later ones pass: counted per ``scope`` (the cloud's state
        #: file), so every connection of one cloud in this process agrees.
        self.fail_first = fail_first
        self.scope = scope if scope is not None else host
        #: Faults happen only before this time (seconds since the epoch):
        #: a cloud failing, then recovering.
        self.fail_until = fail_until
        #: ``(seconds, period)``: faults happen only in the first
        #: ``seconds`` of every ``period`` seconds of the clock.
        self.fail_in_bursts = fail_in_bursts
        self.latency = latency
        self.failure_rate = failure_rate
        self.fail_with = fail_with
        if fail_with is None and (failure_rate > 0 or fail_first):
            self.fail_with = 'server_error'
        self.fail_operations = (
            None if fail_operations is None else frozenset(fail_operations)
        )
        self.retry_after = retry_after
        self.timeout = timeout
        self.hang_seconds = hang_seconds
        self.expected_secret = expected_secret
        self._random = random.Random(seed)

    def before(self, operation, secret, target=None):
        """Run at the start of ``operation`` on ``target`` (a resource's
        name or id); raise if the call must fail."""
        if self.latency:
            time.sleep(self.latency)
        if self.expected_secret is not None and not _same(
            secret, self.expected_secret
        ):
            raise InvalidCredsError(
                'invalid credentials for the simulated cloud'
            )
        if self.fail_with in (None, 'lose_answer'):
            return
        if self._chosen(operation, target):
            self._fail(operation)

    def after(self, operation, target=None):
        """Run once ``operation`` is done: ``lose_answer`` drops its answer,
        as a connection that breaks after the provider acted."""
        if self.fail_with == 'lose_answer' and self._chosen(operation, target):
            raise requests.exceptions.ReadTimeout(
                'HTTPSConnectionPool(host=%r, port=443): Read timed out '
                'after the request was sent' % self.host
            )

    def _chosen(self, operation, target=None):
        if (
            self.fail_operations is not None
            and operation not in self.fail_operations
        ):
            return False
        now = time.time()
        if self.fail_until is not None and now >= self.fail_until:
            return False
        if self.fail_in_bursts is not None:
            seconds, period = self.fail_in_bursts
            if now % period >= seconds:
                return False
        if self.fail_first:
            return _count_call((self.scope, operation, target)) <= (
                self.fail_first
            )
        return not (
            self.failure_rate and self._random.random() >= self.failure_rate
        )

    def _fail(self, operation):
        kind = self.fail_with
        if kind == 'auth':
            raise InvalidCredsError(
                'invalid credentials for the simulated cloud'
            )
        if kind == 'rate_limit':
            raise RateLimitReachedError(
                headers={'retry-after': str(self.retry_after)}
            )
        if kind == 'server_error':
            raise http_error(500, 'internal error during %s' % operation)
        if kind == 'unavailable':
            raise http_error(503, 'service temporarily unavailable')
        if kind == 'hang':
            wait = self.hang_seconds
            if wait is None:
                wait = self.timeout
            if wait is None:
                wait = DEFAULT_HANG_SECONDS
            time.sleep(wait)
            raise requests.exceptions.ReadTimeout(
                'HTTPSConnectionPool(host=%r, port=443): Read timed out. '
                '(read timeout=%s)' % (self.host, wait)
            )
        raise requests.exceptions.ConnectionError(
            'HTTPSConnectionPool(host=%r, port=443): Max retries exceeded '
            '(Failed to establish a new connection: [Errno 111] Connection '
            'refused)' % self.host
        )


#: Calls counted for ``fail_first``, per (scope, operation, target), for
#: every injector of this process.
_CALLS = {}
_CALLS_LOCK = threading.Lock()


def _count_call(key):
    """Count one more call of ``key``; the count so far, this one in."""
    with _CALLS_LOCK:
        _CALLS[key] = count = _CALLS.get(key, 0) + 1
    return count


def _target(args, kwargs):
    """The resource a call acts on, as ``fail_first`` counts it: the
    ``name`` it is given, else its first argument's id or name, else none."""
    if kwargs.get('name') is not None:
        return str(kwargs['name'])
    if not args:
        return None
    first = args[0]
    for attribute in ('id', 'name'):
        value = getattr(first, attribute, None)
        if value is not None:
            return str(value)
    return str(first)


def _same(secret, expected):
    if not isinstance(secret, str):
        return False
    return hmac.compare_digest(
        secret.encode('utf-8'), expected.encode('utf-8')
    )
