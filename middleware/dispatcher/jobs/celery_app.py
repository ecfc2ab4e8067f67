"""The Celery application of the job queue.

One task, :data:`RUN_JOB`, carries a job's id; the job itself is in the
database.  Its settings make a message outlive the worker that took it:
acknowledged after the job (``task_acks_late``), given back when the
worker is lost (``task_reject_on_worker_lost``), one message at a time
per free thread (``worker_prefetch_multiplier = 1``).  Celery is an
optional dependency (``pip install 'mw-dispatcher[celery]'``), imported
only when a broker is set.
"""

from dispatcher import errors

#: The task's name.
RUN_JOB = 'dispatcher.run_job'

#: How hard an API process tries to hand a job to the broker before it
#: leaves it to the keeper (a few seconds at most).
PUBLISH_RETRY = {
    'max_retries': 3,
    'interval_start': 0.2,
    'interval_step': 0.5,
    'interval_max': 1.0,
}


def _celery():
    try:
        import celery
    except ImportError:
        raise errors.MiddlewareError(
            'BROKER_URL is set, but Celery is not installed: pip install '
            "'mw-dispatcher[celery]'",
            code='celery_missing',
        )
    return celery


def make_celery(config, executor):
    """The Celery app over ``config['BROKER_URL']``, whose task runs jobs
    through ``executor`` (a
    :class:`~dispatcher.jobs.celery_executor.CeleryExecutor`)."""
    celery = _celery()
    broker = str(config['BROKER_URL'])
    app = celery.Celery('dispatcher', broker=broker, set_as_current=False)
    lease = float(config.get('JOB_LEASE_SECONDS', 30))
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_default_queue=str(config.get('WORKER_QUEUE') or 'mw-jobs'),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        # After a lost connection, Celery lowers the prefetch count and
        # raises it again as its tasks end, with ``basic.qos`` calls made
        # while the consumer's loop also reads the connection: after a
        # RabbitMQ restart both workers were seen blocked in that call
        # until the broker closed the connection for missed heartbeats
        # (3 minutes), taking nothing from the queue.  A job's lease, not
        # the prefetch count, keeps it from running twice.
        worker_enable_prefetch_count_reduction=False,
        # Redis gives an unacknowledged message to another worker after
        # this long; the job's lease decides who really runs it.
        broker_transport_options={'visibility_timeout': max(3600, 4 * lease)},
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
    )

    @app.task(name=RUN_JOB, acks_late=True, ignore_result=True)
    def run_job(job_id):
        return executor.run(job_id)

    return app
