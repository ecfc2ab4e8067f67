"""Several slow calls made at once, each in its caller's context."""

import concurrent.futures
import contextvars

from dispatcher import errors


def all_at_once(asks):
    """Call each of ``asks`` (key -> function of no argument), in parallel
    when there are several: ``(key -> answer, key -> MiddlewareError)``.

    Each call runs in a copy of the caller's context (its request id, its
    bounds), so a request waits for the slowest call, not for their sum.
    Any other exception is raised, as a bug would be.
    """
    answers, failures = {}, {}
    if not asks:
        return answers, failures
    if len(asks) == 1:
        ((key, ask),) = asks.items()
        try:
            answers[key] = ask()
        except errors.MiddlewareError as exc:
            failures[key] = exc
        return answers, failures
    with concurrent.futures.ThreadPoolExecutor(len(asks)) as pool:
        futures = {
            key: pool.submit(contextvars.copy_context().run, ask)
            for key, ask in asks.items()
        }
        for key, future in futures.items():
            try:
                answers[key] = future.result()
            except errors.MiddlewareError as exc:
                failures[key] = exc
    return answers, failures
