"""The simulated cloud (label ``simulator``).

A stateful libcloud ``NodeDriver`` (:mod:`dispatcher.lib.simulator`) whose
state is a SQLite file, shared by every thread and gunicorn worker and kept
across restarts.  ``EXTRA_PARAMS`` takes ``state_path`` (default: the
instance folder's ``simulator/<cloud>.sqlite``), ``latency`` and
``boot_time`` in seconds, and fault injection: ``failure_rate``,
``fail_with`` (``auth``, ``rate_limit``, ``server_error``, ``unavailable``,
``hang``, ``unreachable``, or ``lose_answer``: the operation is done,
then its answer is lost), ``fail_operations`` and ``retry_after``.
"""

import os

from . import GenericDriver


class SimulatorDriver(GenericDriver):
    """Wraps ``SimulatorNodeDriver``; no credentials needed."""

    required_credentials = ()

    def __init__(self, creds):
        super(SimulatorDriver, self).__init__(creds)
        if not self.extra.get('state_path'):
            folder = os.path.join(
                creds.get('INSTANCE_PATH') or '.', 'simulator'
            )
            self.extra['state_path'] = os.path.join(
                folder, '%s.sqlite' % creds.get('NAME', 'default')
            )

    def driver_class(self):
        from dispatcher.lib.simulator import SimulatorNodeDriver

        return SimulatorNodeDriver

    def connect(self, **kwargs):
        params = dict(self.extra, **kwargs)
        return self.driver(
            self.user or 'simulator', self.password or None, **params
        )
