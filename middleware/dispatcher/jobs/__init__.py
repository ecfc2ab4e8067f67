"""Long-running work as persisted jobs, run by an executor.

A job is a row of the database (:class:`~dispatcher.storage.models.Job`):
its kind, parameters, status, progress, steps, result or error, and who
asked.  :func:`init_app` gives the app its executor (``JOB_EXECUTOR``,
``module:Class``; the default runs jobs on threads of the API process) and
lets it take up jobs left unfinished by a process that has gone.
"""

import importlib

EXTENSION = 'dispatcher.jobs'
DEFAULT_EXECUTOR = 'dispatcher.jobs.inprocess:InProcessExecutor'


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
    cls = executor_class(app.config.get('JOB_EXECUTOR') or DEFAULT_EXECUTOR)
    executor = cls(app)
    app.extensions[EXTENSION] = executor
    executor.start()
    return executor


def executor(app=None):
    """The :class:`~dispatcher.jobs.executor.JobExecutor` of ``app``."""
    if app is None:
        from flask import current_app

        app = current_app
    return app.extensions[EXTENSION]
