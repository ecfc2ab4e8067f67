"""The service's log: one format, request ids, and no secrets.

Every record of the ``dispatcher`` logger carries the request id of the
request it was logged in, and passes through a filter that replaces the
farm's credential values with ``***`` wherever they appear, and API token
values with their non-secret prefix and ``***``.
"""

import logging
import re

from flask import g, has_request_context

from dispatcher.context import REQUEST_ID
from dispatcher.lib.cloud_factory.translate import redact
from dispatcher.policy import token_values as tokens

FORMAT = '%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s'


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and redacts ``secrets`` from the message."""

    def __init__(self, secrets=()):
        super(RequestContextFilter, self).__init__()
        self.secrets = set(secrets)

    def filter(self, record):
        record.request_id = (
            g.get('request_id', '-')
            if has_request_context()
            else REQUEST_ID.get()
        )
        record.msg, record.args = self.clean(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.clean(
                logging.Formatter().formatException(record.exc_info)
            )
        elif record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        return True

    def clean(self, text):
        """``text`` without credential values or token values."""
        return tokens.redact(redact(text, self.secrets))


#: The loggers of the servers in front of the app, which log request lines.
ACCESS_LOGGERS = ('werkzeug', 'gunicorn.access')

#: A query string in a request line or URL (a token may have been sent in
#: one; it is refused, and never logged).
_QUERY = re.compile(r'(?<=[^\s?])\?[^\s"]*')
QUERY_LEFT_OUT = '?[query left out]'


def without_query(text):
    """``text`` with the query string of every URL in it left out."""
    return _QUERY.sub(QUERY_LEFT_OUT, text)


class AccessLogFilter(logging.Filter):
    """Leaves query strings out of the request lines the servers log
    (Flask's development server, gunicorn's access log)."""

    def filter(self, record):
        if isinstance(record.args, dict):
            # gunicorn's atoms: the request line, the query, the URL.
            args = dict(record.args)
            for name, value in args.items():
                if isinstance(value, str):
                    args[name] = '' if name == 'q' else without_query(value)
            record.args = args
        elif record.args:
            record.args = tuple(
                without_query(arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = without_query(record.msg)
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
    for name in ACCESS_LOGGERS:
        access = logging.getLogger(name)
        if not any(isinstance(f, AccessLogFilter) for f in access.filters):
            access.addFilter(AccessLogFilter())
    app.extensions['dispatcher.log_filter'] = context_filter
    return context_filter
