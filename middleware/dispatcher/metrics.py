"""The service's metrics, in the Prometheus format (prometheus-client).

``GET /metrics`` answers them.  What is counted:

``mw_requests_total{method, route, status}``, ``mw_request_seconds``
    the API's answers, by URL rule (``/v1/clouds/<cloud_name>/nodes``);
``mw_provider_calls_total{cloud, operation, outcome}``,
``mw_provider_call_seconds{cloud, operation}``
    the calls to the providers: ``outcome`` is ``ok`` or the error's code
    (``cloud_timeout``, ``provider_error``, ``not_found``...);
``mw_cloud_circuit{cloud}``
    the state of each cloud's circuit: 0 closed, 1 half-open, 2 open;
``mw_jobs_running``, ``mw_jobs_finished_total{kind, status}``,
``mw_job_seconds{kind}``
    the jobs of the process.

Under gunicorn each worker counts on its own; with the environment
variable ``PROMETHEUS_MULTIPROC_DIR`` naming an empty folder (``mw serve``
sets one up in the instance folder), every worker writes there and
``/metrics`` answers the sum of the whole server.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

#: The environment variable of prometheus-client's multi-process mode.
MULTIPROCESS_ENV = 'PROMETHEUS_MULTIPROC_DIR'

REQUESTS = Counter(
    'mw_requests_total',
    'API requests answered',
    ['method', 'route', 'status'],
)
REQUEST_SECONDS = Histogram(
    'mw_request_seconds', 'Time to answer an API request', ['method', 'route']
)
PROVIDER_CALLS = Counter(
    'mw_provider_calls_total',
    'Calls to the providers, by outcome',
    ['cloud', 'operation', 'outcome'],
)
PROVIDER_SECONDS = Histogram(
    'mw_provider_call_seconds',
    'Time a provider took to answer',
    ['cloud', 'operation'],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
CIRCUIT = Gauge(
    'mw_cloud_circuit',
    "A cloud's circuit: 0 closed, 1 half-open, 2 open",
    ['cloud'],
    multiprocess_mode='max',
)
JOBS_RUNNING = Gauge(
    'mw_jobs_running', 'Jobs running now', multiprocess_mode='livesum'
)
JOBS_FINISHED = Counter(
    'mw_jobs_finished_total', 'Jobs that ended, by outcome', ['kind', 'status']
)
JOB_SECONDS = Histogram(
    'mw_job_seconds',
    'How long a job ran in one process',
    ['kind'],
    buckets=(0.5, 1, 5, 15, 60, 300, 900, 3600),
)

INVENTORY_AGE = Gauge(
    'mw_inventory_age_seconds',
    'Seconds since the provider last listed a kind of a cloud (the age of '
    "the inventory's model); set when metrics are read",
    ['cloud', 'kind'],
    multiprocess_mode='mostrecent',
)
INVENTORY_SYNCS = Counter(
    'mw_inventory_syncs_total',
    'Syncs of the inventory, by cloud, kind and outcome',
    ['cloud', 'kind', 'outcome'],
)

#: The gauge's value of each circuit state.
CIRCUIT_VALUES = {'closed': 0, 'half_open': 1, 'open': 2}


def render():
    """``(body, content type)`` of every metric: the whole server's when
    ``PROMETHEUS_MULTIPROC_DIR`` is set, else this process's."""
    if os.environ.get(MULTIPROCESS_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST


def process_gone(pid):
    """A gunicorn worker ``pid`` exited: drop its live gauges."""
    if os.environ.get(MULTIPROCESS_ENV):
        multiprocess.mark_process_dead(pid)
