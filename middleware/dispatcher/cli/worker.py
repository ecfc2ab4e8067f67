"""``mw worker``: a Celery worker that runs the service's jobs."""

import click

from dispatcher import close_app, config
from dispatcher.cli.db import settings_option
from dispatcher.cli.errors import CommandFailed


@click.command('worker')
@settings_option
@click.option(
    '-c',
    '--concurrency',
    type=click.IntRange(min=1),
    help='Jobs run at once, on threads.  [default: WORKER_CONCURRENCY of '
    'the settings, 8]',
)
@click.option(
    '-Q',
    '--queues',
    metavar='NAMES',
    help='Comma-separated queues to take jobs from.  [default: '
    'WORKER_QUEUE of the settings, mw-jobs]',
)
@click.option(
    '-l',
    '--loglevel',
    type=click.Choice(
        ['DEBUG', 'INFO', 'WARNING', 'ERROR'], case_sensitive=False
    ),
    help='Level of the log.  [default: LOG_LEVEL of the settings]',
)
def worker(settings_file, concurrency, queues, loglevel):
    """Run jobs from the broker's queue (needs MW_BROKER_URL).

    Start as many as the work needs, on any host that reaches the broker
    and the database (PostgreSQL for several hosts).  Besides jobs, the
    workers run the inventory's syncs and the job keeper, once per
    cluster.  SIGTERM stops it warmly: its jobs go back to the queue at
    their next step; a worker that is killed leaves them to the others.
    """
    from dispatcher import create_app, jobs
    from dispatcher.jobs.celery_executor import CeleryExecutor

    try:
        settings = config.use_settings_file(settings_file)
    except config.SettingsError as exc:
        raise CommandFailed(str(exc))
    if not settings.get('BROKER_URL'):
        raise CommandFailed(
            'no broker: set MW_BROKER_URL (or BROKER_URL in the settings) '
            'to redis://... or amqp://..., the same as the API hosts'
        )
    app = create_app()
    try:
        executor = jobs.executor_of(app)
        if not isinstance(executor, CeleryExecutor):
            raise CommandFailed(
                'JOB_EXECUTOR names %s; mw worker runs the Celery executor '
                'only' % type(executor).__name__
            )
        names = [q.strip() for q in (queues or '').split(',') if q.strip()]
        code = executor.run_worker(concurrency, names, loglevel)
    finally:
        close_app(app)
    raise SystemExit(code or 0)


COMMANDS = [worker]
