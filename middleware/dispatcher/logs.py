"""The service's log: one format, request ids, and no secrets.

Every record of the ``dispatcher`` logger carries the request id of the
request it was logged in, and passes through a filter that replaces the
farm's credential values with ``***`` wherever they appear.
"""

import logging

from flask import g, has_request_context

from dispatcher.lib.cloud_factory.translate import redact

FORMAT = '%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s'


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and redacts ``secrets`` from the message."""

    def __init__(self, secrets=()):
        super(RequestContextFilter, self).__init__()
        self.secrets = set(secrets)

    def filter(self, record):
        record.request_id = (g.get('request_id', '-')
                             if has_request_context() else '-')
        if self.secrets:
            message = redact(record.getMessage(), self.secrets)
            record.msg, record.args = message, None
            if record.exc_info and not record.exc_text:
                record.exc_text = redact(
                    logging.Formatter().formatException(record.exc_info),
                    self.secrets)
            elif record.exc_text:
                record.exc_text = redact(record.exc_text, self.secrets)
        return True


def init_app(app):
    """Log ``dispatcher.*`` at ``LOG_LEVEL`` to stderr, once per process."""
    logger = logging.getLogger('dispatcher')
    logger.setLevel(app.config.get('LOG_LEVEL', 'INFO'))
    context_filter = RequestContextFilter()
    for handler in list(logger.handlers):
        if getattr(handler, 'dispatcher_handler', False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.dispatcher_handler = True
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(context_filter)
    logger.addHandler(handler)
    logger.propagate = True
    app.extensions['dispatcher.log_filter'] = context_filter
    return context_filter
