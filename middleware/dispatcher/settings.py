"""Built-in defaults of every setting.

The service reads these first, then the Python file named by
``MW_SETTINGS`` (see ``settings.example.py``), then ``MW_<NAME>``
environment variables (e.g. ``MW_PROVIDER_TIMEOUT=10``), then, in tests, the
mapping given to ``create_app``.  A settings file sets a name by assigning
it at its top level; the farm goes in ``CloudConfig.CLOUD_FARM`` as in the
original orchestrator (a top-level ``CLOUD_FARM`` works too).
"""

#: Folder of local state (SQLite database, simulated clouds, token file).
#: ``None``: the user's data folder, the same whatever the install
#: (``~/.local/share/mw-dispatcher`` on Linux, per platformdirs).
INSTANCE_PATH = None

#: Seconds one provider call may take before the API answers 504.
PROVIDER_TIMEOUT = 30.0

#: Provider calls in flight at once per cloud (a cloud may override it
#: with ``MAX_CONCURRENCY`` in its farm entry).
PROVIDER_CONCURRENCY = 8

#: Provider calls per second per cloud, per process (a cloud may override
#: it with ``CALLS_PER_SECOND`` in its farm entry); 0: no rate.  A
#: provider's 429 with ``Retry-After`` pauses that cloud's calls whatever
#: this says.
PROVIDER_CALLS_PER_SECOND = 0

#: Requests that may wait on one cloud at once, per process; more are
#: answered ``503 cloud_busy`` at once (0: no bound).  A cloud that hangs
#: then holds at most this many of a gunicorn worker's threads: keep
#: ``--threads`` above it.  Jobs and inventory syncs are bounded apart.
REQUEST_CALLS_PER_CLOUD = 4

#: Failures in a row (no answer, or 5xx) after which a cloud's circuit
#: opens: its calls are answered ``503 cloud_circuit_open`` at once until a
#: probe succeeds.  0: never.
CIRCUIT_FAILURES = 5

#: Seconds an open circuit waits before one call probes the cloud again.
CIRCUIT_OPEN_SECONDS = 30.0

#: Seconds a deletion waits for the provider to stop listing what it
#: accepted to destroy: a node or volume still listed then is
#: ``delete_failed``, with the reason; a stack node too, and its stack
#: ``failed``.
DELETE_CONFIRM_SECONDS = 60

#: Serve ``GET /metrics`` without a token (for a Prometheus scraper on a
#: network of its own); by default it needs a token of any role.
METRICS_PUBLIC = False

#: Options of the inventory's collectors, by collector name, e.g.
#: ``{'cloud': {'period': 120}}`` (see the inventory page of the docs).
COLLECTORS = {}

#: Whether each process runs the round of periodic inventory syncs (every
#: ``INVENTORY_ROUND_SECONDS``); off, reads still fill the inventory and
#: ``fresh`` and ``max_age`` still ask the providers.
INVENTORY_SYNC = True
INVENTORY_ROUND_SECONDS = 1.0

#: Seconds an item gone from its provider stays in the inventory (marked
#: ``missing_since``) before it is forgotten.
INVENTORY_FORGET_SECONDS = 86400

#: Largest request body accepted, in bytes (larger: 413).
MAX_CONTENT_LENGTH = 1024 * 1024

#: Page size of list answers when ``limit`` is not given, and its maximum.
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

#: Whether every route but ``/``, ``/healthz``, ``/docs/`` and
#: ``/v1/openapi.json`` needs an ``X-Auth-Token``.  ``False``
#: (``MW_AUTH_ENABLED=false``) is for local development only: the service
#: then serves everyone as an admin and listens on 127.0.0.1 only.  On the
#: first start with no token at all the service creates an admin token,
#: writes it to ``<instance folder>/admin-token`` and shows it once on the
#: terminal (its log names the file, never the token).
AUTH_ENABLED = True

#: Requests one token may make per minute (a bucket refilled at that rate;
#: over it: 429 with ``Retry-After``).  Counted per process: with N
#: gunicorn workers a token may make up to N times as many.  0: no limit.
RATE_LIMIT_PER_MINUTE = 600

#: Failed authentications (a missing, unknown, expired or revoked token)
#: a client address may make a minute before it is answered ``429`` until
#: its allowance refills (per process; ``0``: no limit).
AUTH_FAILURES_PER_MINUTE = 30

#: Origins whose browser pages may call the API (CORS), e.g.
#: ``['https://dashboard.example.com']``; ``['*']``: any.  Empty: none.
CORS_ORIGINS = []

#: Level of the service's log (``DEBUG``, ``INFO``, ``WARNING``, ...).
LOG_LEVEL = 'INFO'

#: Folder of the built HTML documentation served at ``/docs/``.  ``None``:
#: ``docs/_build/html`` of the source tree, when it has been built.
DOCS_PATH = None

#: Address and port of ``mw serve`` and ``runserver.py``.
HOST = '127.0.0.1'
PORT = 5070

#: SQLAlchemy URL of the state database (jobs, stacks, their history),
#: e.g. ``postgresql://mw@db.example.com/mw`` for several API hosts.
#: ``None``: the SQLite file ``mw.sqlite`` in the instance folder.  A new
#: database gets its schema at start-up; ``mw db upgrade`` upgrades one.
DATABASE_URL = None

#: Connections each process keeps open to a PostgreSQL database, and how
#: many more it may open at busy times.  Every API process and worker has
#: its own: their sum must stay below the server's ``max_connections``.
DATABASE_POOL_SIZE = 10
DATABASE_MAX_OVERFLOW = 20

#: Where jobs run: ``module:Class`` of a ``dispatcher.jobs.executor
#: .JobExecutor``.  ``None``: on Celery workers (``mw worker``) when
#: ``BROKER_URL`` is set, else on threads of the API process.
JOB_EXECUTOR = None

#: The Celery broker of the job queue, ``redis://host:6379/0`` or
#: ``amqp://user:password@host:5672//`` (``MW_BROKER_URL``).  Set, jobs
#: run on the workers that ``mw worker`` starts, on any host sharing the
#: database (PostgreSQL); ``None``: in the API processes.
BROKER_URL = None

#: The Celery queue the jobs go to, and that ``mw worker`` consumes.
WORKER_QUEUE = 'mw-jobs'

#: Jobs one ``mw worker`` runs at once (threads); ``--concurrency``.
WORKER_CONCURRENCY = 8

#: Seconds the cluster goes without a periodic work (the inventory's
#: round, the job keeper) after the process doing it was lost, before
#: another process takes it over.
CLUSTER_LEASE_SECONDS = 10

#: Where the clouds' call budgets (``CALLS_PER_SECOND``) are counted, as a
#: ``limits`` storage URL (``redis://host:6379/1``), so that every process
#: of every host shares one rate per cloud.  ``None``: the broker's Redis
#: when ``BROKER_URL`` is one, else each process counts for itself.
CALL_BUDGET_URL = None

#: Jobs run at once by one process (at least 2); more wait their turn.
JOB_WORKERS = 8

#: Provider calls that jobs may have in flight at once on one cloud, per
#: process; keep it below ``PROVIDER_CONCURRENCY`` so that interactive
#: requests always get through, and below the provider's rate limit.
JOB_CONCURRENCY_PER_CLOUD = 4

#: With jobs on several workers (``BROKER_URL``), a stack job hands its
#: creates to child jobs of at most this many nodes (each taking the
#: stack's clouds in turn), which any free worker takes up; 0: one job
#: does them all.
JOB_FANOUT_NODES = 25

#: Seconds a job's lease lasts without renewal: after a crash, another
#: process resumes the job at most this long after it was last renewed
#: (at once when the crashed process was on the same host).
JOB_LEASE_SECONDS = 30

#: Seconds a stack job goes on retrying a provider call that failed for a
#: passing reason (429 after its Retry-After, a timeout, a 5xx, an
#: unreachable cloud) while it tears nodes down or lists them, before the
#: error stands.  A wait that would end later (a Retry-After, an open
#: circuit's next probe) is not started.
JOB_RETRY_SECONDS = 120

#: Default seconds until every node of a new stack (or of a scale-up) must
#: be running; a stack's ``timeout`` overrides it.
STACK_TIMEOUT = 1800

#: Most nodes in one stack.
STACK_MAX_NODES = 500


class CloudConfig(object):
    """The cloud farm: name -> ``ENGINE``, credentials, ``EXTRA_PARAMS``.

    The built-in farm is three simulated clouds, so that the service works
    with no settings at all.  ``default`` is the cloud used when none is
    named.
    """

    CLOUD_FARM = {
        'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 2.0}},
        'sim-eu': {
            'ENGINE': 'simulator',
            'EXTRA_PARAMS': {'boot_time': 3.0, 'latency': 0.05},
        },
        'sim-us': {
            'ENGINE': 'simulator',
            'EXTRA_PARAMS': {'boot_time': 3.0, 'latency': 0.1},
        },
    }
