"""Work repeated every few seconds on a daemon thread of this process.

Used for the inventory's round of due syncs.  The work itself decides,
through leases in the database, which process of the cluster does what:
every process may run the round, and the round is cheap when there is
nothing for it to do.
"""

import logging
import os
import threading

LOG = logging.getLogger(__name__)


class Periodic(object):
    """Calls ``function()`` every ``seconds`` until :meth:`stop`.

    The thread starts with :meth:`ensure` (again in a forked child, which
    has none of its parent's threads).  A round that raises is logged and
    the next one runs as planned.
    """

    def __init__(self, name, seconds, function):
        self.name = name
        self.seconds = float(seconds)
        self.function = function
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        self._pid = None

    def ensure(self):
        """Start the thread unless it runs (or :meth:`stop` was called)."""
        with self._lock:
            if self._stop.is_set():
                return
            if (
                self._thread is not None
                and self._pid == os.getpid()
                and self._thread.is_alive()
            ):
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(
                target=self._run, name=self.name, daemon=True
            )
            self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                self.function()
            except Exception:
                LOG.warning('%s: a round failed', self.name, exc_info=True)
            self._stop.wait(self.seconds)

    def stop(self, wait=False):
        with self._lock:
            self._stop.set()
            thread = self._thread
        if wait and thread is not None and thread.is_alive():
            thread.join(10)
