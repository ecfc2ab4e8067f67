"""Long-running work as persisted jobs, run by an executor.

A job is a row of the database (:class:`~dispatcher.storage.models.Job`):
its kind, parameters, status, progress, steps, result or error, and who
asked.  :func:`init_app` gives the app its executor (``JOB_EXECUTOR``,
``module:Class``; by default Celery's workers when ``BROKER_URL`` names
a broker, else threads of the API process) and
lets it take up jobs left unfinished by a process that has gone.
"""

import importlib

EXTENSION = 'dispatcher.jobs'
DEFAULT_EXECUTOR = 'dispatcher.jobs.inprocess:InProcessExecutor'
CELERY_EXECUTOR = 'dispatcher.jobs.celery_executor:CeleryExecutor'


def executor_target(config):
    """The ``module:Class`` of the executor ``config`` asks for."""
    chosen = config.get('JOB_EXECUTOR')
    if chosen:
        return chosen
    return CELERY_EXECUTOR if config.get('BROKER_URL') else DEFAULT_EXECUTOR


def executor_class(target):
    """The executor class named ``module:Class``."""
    module, _, name = str(target).partition(':')
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise RuntimeError(
            'JOB_EXECUTOR %r cannot be loaded: %s' % (target, exc)
        )


def init_app(app):
    """Build the app's executor and start it (after ``storage.init_app``)."""
    cls = executor_class(executor_target(app.config))
    executor = cls(app)
    app.extensions[EXTENSION] = executor
    executor.start()
    return executor


def executor_of(app=None):
    """The :class:`~dispatcher.jobs.executor.JobExecutor` of ``app``
    (the default: the current app)."""
    if app is None:
        from flask import current_app

        app = current_app
    return app.extensions[EXTENSION]
