"""What a log line says of the work it belongs to, across threads.

The request's id is kept in a context variable as well as in Flask's
``g``: a provider call runs on a thread of its cloud, in a copy of the
context of the request (or job) that made it, so that its log lines carry
the same id.
"""

import contextvars

#: The id of the request (or ``job:<id>``) the current work is for.
REQUEST_ID = contextvars.ContextVar('request_id', default='-')
