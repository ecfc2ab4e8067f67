"""Waiting for a resource to settle, with a status line on stderr.

On a terminal the status line is rewritten in place with the time waited;
when stderr is not a terminal (a pipe, a log file, CI) a plain line is
printed each time the state changes.  stdout stays for the result.
"""

import sys
import time

import click

from dispatcher.cli.errors import CommandFailed


class StatusLine(object):
    """A one-line status on stderr: live on a terminal, else plain lines."""

    def __init__(self, live=None):
        self.stream = sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self._last = None
        self._shown = False

    def update(self, text, elapsed):
        """Show ``text`` after ``elapsed`` seconds of waiting."""
        if self.live:
            self.stream.write('\r\033[K%s  (%ds)' % (text, elapsed))
            self.stream.flush()
            self._shown = True
        elif text != self._last:
            click.echo(text, err=True)
        self._last = text

    def finish(self):
        """End the live line so that what follows starts on a new one."""
        if self.live and self._shown:
            self.stream.write('\n')
            self.stream.flush()
            self._shown = False


def poll_until(
    fetch,
    state_of,
    describe,
    done,
    failed,
    timeout,
    interval=1.0,
    status=None,
    clock=time.monotonic,
    sleep=time.sleep,
):
    """Call ``fetch()`` until its state is in ``done``; return the last.

    :param fetch: returns the resource as the API shows it.
    :param state_of: the resource's state.
    :param describe: a short text naming the resource, for the status line.
    :param done: states that end the wait successfully.
    :param failed: states that end it as a failure.
    :param timeout: seconds to wait at most.
    :raises CommandFailed: on a ``failed`` state, or after ``timeout``.
    """
    status = status or StatusLine()
    started = clock()
    try:
        while True:
            resource = fetch()
            state = state_of(resource)
            elapsed = clock() - started
            status.update('%s: %s' % (describe(resource), state), elapsed)
            if state in done:
                return resource
            if state in failed:
                raise CommandFailed(
                    '%s ended in state %s' % (describe(resource), state)
                )
            if elapsed >= timeout:
                raise CommandFailed(
                    '%s is still %s after %g s; wait longer with --timeout'
                    % (describe(resource), state, timeout)
                )
            sleep(min(interval, max(0.0, timeout - elapsed)))
    finally:
        status.finish()
