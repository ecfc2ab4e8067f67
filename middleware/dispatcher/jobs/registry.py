"""Job kinds and the functions that do their work.

A job's ``kind`` names its handler here as ``module:function``, imported
when a job of that kind first runs.  The handler is called with a
:class:`~dispatcher.jobs.runner.JobContext` on whichever process claims the
job, so it must resume from what the database says: a job may be started
again after a crash, half done.
"""

import importlib

from dispatcher import errors

HANDLERS = {
    'stack.create': 'dispatcher.services.stack_reconciler:create_stack',
    'stack.scale': 'dispatcher.services.stack_reconciler:scale_stack',
    'stack.delete': 'dispatcher.services.stack_reconciler:delete_stack',
    'stack.nodes': 'dispatcher.services.stack_fanout:create_share',
}

_loaded = {}


def kinds():
    """The job kinds this service runs, sorted."""
    return sorted(HANDLERS)


def handler_for(kind):
    """The handler function of ``kind``."""
    if kind not in _loaded:
        target = HANDLERS.get(kind)
        if target is None:
            raise errors.MiddlewareError(
                'no handler for jobs of kind %r; known kinds: %s'
                % (kind, ', '.join(kinds()))
            )
        module, function = target.split(':')
        _loaded[kind] = getattr(importlib.import_module(module), function)
    return _loaded[kind]
