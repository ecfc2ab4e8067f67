"""The services of one application, built once and closed once.

``create_app`` builds a :class:`Services` from the app's farm, database and
job executor and keeps it in ``app.extensions``; the HTTP layer calls the
services through it and never touches the database or the executor
itself.  :meth:`Services.close` stops everything in order (jobs first, so
that no job is left with its clouds closed under it; then the clouds; then
the database) and is what a stopping server and the test fixtures call.
"""

import logging

from dispatcher import metrics
from dispatcher.policy.principal import SERVICE
from dispatcher.services import (
    audit,
    compute,
    idempotency,
    inventory,
    jobs,
    stacks,
    tokens,
)
from dispatcher.services.documents import as_document
from dispatcher.storage.changes import VersionedCache

EXTENSION = 'dispatcher.services'

LOG = logging.getLogger(__name__)


class Services(object):
    """What the HTTP layer calls.

    :ivar farm: the :class:`~dispatcher.services.farm.Farm` (every cloud).
    :ivar database: the :class:`~dispatcher.storage.Database`.
    :ivar executor: the :class:`~dispatcher.jobs.executor.JobExecutor`.
    :ivar config: the settings.
    """

    def __init__(self, farm, database, executor, config):
        self.farm = farm
        self.database = database
        self.executor = executor
        self.config = config
        self.closed = False
        #: Tokens found active since the database last changed.
        self._tokens = VersionedCache()
        self.inventory = inventory.Inventory(farm, database, executor, config)
        farm.on_health_change(self._record_health_change)
        for cloud in farm:
            metrics.CIRCUIT.labels(cloud.name).set(
                metrics.CIRCUIT_VALUES[cloud.breaker.state]
            )

    def _record_health_change(self, cloud, old, new, last_error):
        """A cloud's circuit changed: log it and keep it in the audit
        trail (``cloud.circuit_open``, ``_half_open``, ``_closed``)."""
        message = (last_error or {}).get('message')
        metrics.CIRCUIT.labels(cloud).set(metrics.CIRCUIT_VALUES[new])
        LOG.warning(
            'cloud %r: circuit %s -> %s%s',
            cloud,
            old,
            new,
            ' (last error: %s)' % message if message else '',
        )
        try:
            audit.record(
                self.database,
                SERVICE,
                'SYSTEM',
                '/v1/clouds/<cloud_name>',
                '/v1/clouds/%s' % cloud,
                'cloud.circuit_%s' % new,
                503 if new == 'open' else 200,
                cloud=cloud,
            )
        except Exception:  # the audit must not fail a provider call
            LOG.exception('cannot record the circuit change of %r', cloud)

    # -- stacks and jobs ----------------------------------------------------

    def orchestration(self, farm=None):
        """What the stack services work with, over ``farm`` (the farm as a
        caller sees it) or the whole farm."""
        return stacks.Orchestration(
            self.database,
            farm or self.farm,
            self.executor,
            self.config,
            self.inventory,
        )

    def list_jobs(
        self, limit, marker=None, status=None, kind=None, clouds=None
    ):
        """:func:`dispatcher.services.jobs.list_jobs`, waking the
        executor (a question about jobs hints that some may wait)."""
        self.executor.wake()
        return jobs.list_jobs(
            self.database,
            limit,
            marker,
            status=status,
            kind=kind,
            clouds=clouds,
        )

    def get_job(self, job_id, clouds=None):
        """:func:`dispatcher.services.jobs.get_job`."""
        self.executor.wake()
        return jobs.get_job(self.database, job_id, clouds)

    def list_steps(self, job_id, limit, marker=None, status=None, clouds=None):
        """:func:`dispatcher.services.jobs.list_steps`."""
        return jobs.list_steps(
            self.database, job_id, limit, marker, status, clouds
        )

    def cancel_job(self, job_id, clouds=None):
        """:func:`dispatcher.services.jobs.cancel_job`."""
        return jobs.cancel_job(self.database, job_id, clouds)

    # -- nodes ---------------------------------------------------------------

    def create_node(self, cloud, spec, requested_by, idempotency_key=None):
        """:func:`dispatcher.services.compute.create_node`, its size,
        image and location taken from the inventory; with
        ``idempotency_key``, made once whatever the retries."""
        return idempotency.once(
            self.database,
            ('nodes.create:%s' % requested_by)[:64],
            idempotency_key,
            idempotency.fingerprint('POST nodes', cloud.name, spec),
            lambda: compute.create_node(
                cloud, spec, self.inventory.catalogue_items(cloud, spec)
            ),
            as_document,
            compute.node_from_document,
        )

    # -- tokens and the audit trail -----------------------------------------

    def create_token(self, role, creator, known_clouds, **options):
        """:func:`dispatcher.services.tokens.create_token`; ``clouds`` must
        be among ``known_clouds`` (those the creator sees)."""
        return tokens.create_token(
            self.database,
            role,
            creator=creator,
            known_clouds=known_clouds,
            **options,
        )

    def list_tokens(self, viewer):
        """:func:`dispatcher.services.tokens.list_tokens`."""
        return tokens.list_tokens(self.database, viewer)

    def get_token(self, token_id, viewer):
        """:func:`dispatcher.services.tokens.get_token`."""
        return tokens.get_token(self.database, token_id, viewer)

    def revoke_token(self, token_id, viewer):
        """:func:`dispatcher.services.tokens.revoke_token`."""
        return tokens.revoke_token(self.database, token_id, viewer)

    def authenticate(self, value):
        """:func:`dispatcher.services.tokens.authenticate`."""
        return tokens.authenticate(self.database, value, self._tokens)

    def list_events(self, limit, viewer, **filters):
        """:func:`dispatcher.services.audit.list_events`."""
        return audit.list_events(
            self.database, limit, viewer=viewer, **filters
        )

    def record_event(self, **event):
        """:func:`dispatcher.services.audit.record`."""
        return audit.record(self.database, **event)

    def begin_event(self, **event):
        """:func:`dispatcher.services.audit.begin`."""
        return audit.begin(self.database, **event)

    def finish_event(self, event_id, status, **outcome):
        """:func:`dispatcher.services.audit.finish`."""
        return audit.finish(self.database, event_id, status, **outcome)

    # -- life ---------------------------------------------------------------

    def close(self):
        """Stop in order: the jobs of this process (handed on, their state
        kept), then the clouds' threads, then the database's connections.
        Safe to call more than once."""
        if self.closed:
            return
        self.closed = True
        try:
            self.inventory.close()
            self.executor.shutdown(wait=True)
        finally:
            try:
                self.farm.close()
            finally:
                self.database.dispose()
