"""The simulated cloud (label ``simulator``).

A stateful libcloud ``NodeDriver`` (:mod:`dispatcher.lib.simulator`) whose
state is a SQLite file, shared by every thread and gunicorn worker and kept
across restarts.  ``EXTRA_PARAMS`` takes ``state_path`` (default: the
instance folder's ``simulator/<cloud>.sqlite``), ``latency`` and
``boot_time`` in seconds, and fault injection: ``failure_rate``,
``fail_with`` (``auth``, ``rate_limit``, ``server_error``, ``unavailable``,
``hang``, ``unreachable``, or ``lose_answer``: the operation is done,
then its answer is lost), ``fail_operations``, ``retry_after``, and when
faults happen: ``fail_until`` (a time: failing, then recovering) and
``fail_in_bursts`` (``[seconds, period]``); ``fail_first`` fails each
resource's first calls of an operation instead of rolling dice;
``keep_deleted`` answers deletes as done and keeps the resource.
"""

import os

from dispatcher.lib.simulator import SimulatorNodeDriver
from dispatcher.lib.simulator.faults import FAULT_KINDS

from ..configuration import Field
from . import GenericDriver


class SimulatorDriver(GenericDriver):
    """Wraps ``SimulatorNodeDriver``; no credentials needed."""

    libcloud_class = SimulatorNodeDriver
    libcloud_parameters = False
    configuration = (
        Field('USER', help='a name for the account (default simulator)'),
        Field(
            'PASSWORD',
            secret=True,
            help='checked against expected_secret when that is set',
        ),
        Field(
            'state_path',
            help='the SQLite file of the cloud (default: '
            '<instance>/simulator/<cloud>.sqlite)',
        ),
        Field('latency', 'number', default=0.0, help='seconds per call'),
        Field(
            'boot_time',
            'number',
            default=1.0,
            help='seconds a new or started node stays pending',
        ),
        Field(
            'failure_rate',
            'number',
            default=0.0,
            help='share of calls (0 to 1) that fail with fail_with',
        ),
        Field(
            'fail_with',
            help='the fault injected: %s' % ', '.join(FAULT_KINDS),
        ),
        Field(
            'fail_operations',
            'list',
            help='the operations faults hit (default: all)',
        ),
        Field(
            'retry_after',
            'number',
            default=5,
            help='Retry-After seconds of an injected rate limit',
        ),
        Field(
            'hang_seconds',
            'number',
            help='how long a hang lasts (default: the call timeout)',
        ),
        Field(
            'expected_secret',
            secret=True,
            help='the PASSWORD the cloud accepts (default: any)',
        ),
        Field('seed', 'integer', help='seed of the fault dice'),
        Field(
            'fail_until',
            'number',
            help='faults only before this time (seconds since the epoch): '
            'a cloud failing, then recovering',
        ),
        Field(
            'fail_in_bursts',
            'list',
            help='[seconds, period]: faults only in the first seconds of '
            'every period (bursts of 429, say)',
        ),
        Field(
            'fail_first',
            'integer',
            help="instead of dice: each resource's first fail_first calls "
            'of an operation fail, the later ones pass (a create '
            'throttled once, then made)',
        ),
        Field(
            'keep_deleted',
            'boolean',
            default=False,
            help='deletes of nodes and volumes are answered as done, and '
            'the resource stays',
        ),
    )

    def __init__(self, creds):
        super(SimulatorDriver, self).__init__(creds)
        if not self.extra.get('state_path'):
            folder = os.path.join(
                creds.get('INSTANCE_PATH') or '.', 'simulator'
            )
            self.extra['state_path'] = os.path.join(
                folder, '%s.sqlite' % creds.get('NAME', 'default')
            )

    def connect(self, **kwargs):
        params = dict(self.extra, **kwargs)
        return self.driver(
            self.user or 'simulator', self.password or None, **params
        )
