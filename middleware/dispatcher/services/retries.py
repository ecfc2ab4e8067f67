"""Retrying a provider call that failed for a passing reason.

Stack jobs tear nodes down (rollback, scale-down, delete) and list clouds
to find what they made; a provider that throttles (429), times out (504),
fails for a moment (a 5xx, 502 here) or cannot be reached (503) would
otherwise fail the whole job and leave the stack half torn down.  Such
calls are safe to repeat, so they are retried with exponential backoff and
jitter, waiting at least the provider's ``Retry-After``, for at most
``JOB_RETRY_SECONDS`` in all; then the last error stands.  A wait that
would end after that time (a ``Retry-After`` past it, such as an open
circuit's next probe) is not waited: the last error stands at once.  A
create is asked again only when the provider did not act (it throttled, or
the call never reached it), or when, asked by the node's unique name after a
failure that may have lost the answer, it has no such node: repeating a
create blindly could make a second node.

tenacity does the retrying: a well-kept library rather than a loop of our
own.
"""

import logging

import tenacity

from dispatcher import errors

LOG = logging.getLogger(__name__)

#: Errors of a provider that may pass: throttling, a timeout, a failure of
#: the provider (but not its refusal of the farm's credentials), a cloud
#: that cannot be reached.
TRANSIENT = (
    errors.RateLimited,
    errors.CloudTimeout,
    errors.CloudUnavailable,
    errors.ProviderError,
)

#: Codes of those classes that will not pass by waiting.
LASTING_CODES = frozenset({'cloud_auth_failed'})

#: Attempts of one call at the most, whatever time is left.
MAX_ATTEMPTS = 8


def is_transient(exc):
    """Whether ``exc`` is a provider failure worth another try."""
    return isinstance(exc, TRANSIENT) and exc.code not in LASTING_CODES


def _retry_after(exc):
    try:
        return float(exc.headers.get('Retry-After', 0))
    except (AttributeError, TypeError, ValueError):
        return 0.0


class _Wait(tenacity.wait.wait_base):
    """Exponential backoff with jitter, never shorter than Retry-After."""

    def __init__(self, initial, maximum):
        self.backoff = tenacity.wait_random_exponential(
            multiplier=initial, max=maximum
        )

    def __call__(self, retry_state):
        exc = retry_state.outcome.exception()
        return max(self.backoff(retry_state), _retry_after(exc))


def is_throttled(exc):
    """Whether ``exc`` is the provider throttling: it did not act, so even
    a create may be asked again (after its ``Retry-After``)."""
    return isinstance(exc, errors.RateLimited)


def _fewer(attempts_for):
    """A tenacity stop: the attempts ``attempts_for`` allows the last
    failure, if it says."""

    def stop(retry_state):
        if attempts_for is None:
            return False
        allowed = attempts_for(retry_state.outcome.exception())
        return allowed is not None and retry_state.attempt_number >= allowed

    return stop


def call(
    config,
    operation,
    function,
    *args,
    when=is_transient,
    attempts_for=None,
    **kwargs,
):
    """``function(*args, **kwargs)``, retried while it fails transiently.

    :param config: the settings (``JOB_RETRY_SECONDS``).
    :param operation: what is being done, for the log.
    :param when: which failures are retried (:func:`is_transient`, or
        :func:`is_throttled` for a call that must not run twice).
    :param attempts_for: ``attempts_for(exc)``: fewer attempts than
        :data:`MAX_ATTEMPTS` for some failures (``None``: no limit of its
        own).
    """
    seconds = float(config.get('JOB_RETRY_SECONDS', 120))

    def log(retry_state):
        LOG.warning(
            '%s failed (%s); retrying in %.1f s',
            operation,
            retry_state.outcome.exception(),
            retry_state.next_action.sleep,
        )

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(when),
        stop=(
            tenacity.stop_after_attempt(MAX_ATTEMPTS)
            # Not once the time is up, nor before a wait that outlasts it.
            | tenacity.stop_before_delay(seconds)
            | _fewer(attempts_for)
        ),
        wait=_Wait(0.5, 30.0),
        before_sleep=log,
        reraise=True,
    )
    return retrying(function, *args, **kwargs)
