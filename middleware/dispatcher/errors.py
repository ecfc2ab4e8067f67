"""The service's one error hierarchy.

Every failure the service reports is a :class:`MiddlewareError` (or is turned
into one at a boundary): it carries the HTTP status, a stable machine-readable
``code``, a human message, and where it applies the cloud and the field
concerned.  One Flask error handler renders it as::

    {"error": {"status": 404, "code": "node_not_found", "message": "...",
               "cloud": "default", "request_id": "..."}}
"""


class MiddlewareError(Exception):
    """Root of every error the API reports."""

    status = 500
    code = 'internal_error'

    def __init__(
        self,
        message,
        cloud=None,
        field=None,
        code=None,
        status=None,
        headers=None,
        details=None,
    ):
        super().__init__(message)
        self.message = message
        self.cloud = cloud
        self.field = field
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})
        self.details = details

    @classmethod
    def from_dict(cls, body):
        """The error an ``error`` object (:meth:`to_dict`) describes."""
        body = body or {}
        return cls(
            body.get('message') or 'unknown error',
            cloud=body.get('cloud'),
            field=body.get('field'),
            code=body.get('code'),
            status=body.get('status'),
            details=body.get('details'),
        )

    def to_dict(self, request_id=None):
        """The ``error`` object of an answer, as documented in the API."""
        body = {
            'status': self.status,
            'code': self.code,
            'message': self.message,
        }
        if self.cloud is not None:
            body['cloud'] = self.cloud
        if self.field is not None:
            body['field'] = self.field
        if self.details is not None:
            body['details'] = self.details
        if request_id is not None:
            body['request_id'] = request_id
        return body


class BadRequest(MiddlewareError):
    """400: the request is malformed or a field is invalid (names it)."""

    status = 400
    code = 'bad_request'


class Unauthorized(MiddlewareError):
    """401: no token, or a token the service does not accept."""

    status = 401
    code = 'unauthorized'


class Forbidden(MiddlewareError):
    """403: the token may not do this."""

    status = 403
    code = 'forbidden'


class NotFound(MiddlewareError):
    """404: an unknown cloud, node, key pair, volume, job or route."""

    status = 404
    code = 'not_found'


class MethodNotAllowed(MiddlewareError):
    """405: the route exists but not with this method."""

    status = 405
    code = 'method_not_allowed'


class Conflict(MiddlewareError):
    """409: the action is invalid in the resource's state, or conflicts."""

    status = 409
    code = 'conflict'


class PayloadTooLarge(MiddlewareError):
    """413: the body is larger than the service accepts."""

    status = 413
    code = 'payload_too_large'


class UnsupportedMediaType(MiddlewareError):
    """415: the body is not JSON."""

    status = 415
    code = 'unsupported_media_type'


class RateLimited(MiddlewareError):
    """429: the provider (or the service) throttles; see ``Retry-After``."""

    status = 429
    code = 'rate_limited'

    def __init__(self, message, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        if retry_after is not None:
            self.headers['Retry-After'] = str(max(1, int(round(retry_after))))


class NotSupported(MiddlewareError):
    """501: the cloud's driver does not implement this operation."""

    status = 501
    code = 'not_supported'


class ProviderError(MiddlewareError):
    """502: the provider failed, or refused the farm's credentials."""

    status = 502
    code = 'provider_error'


class CloudUnavailable(MiddlewareError):
    """503: the cloud cannot be reached or is not configured correctly."""

    status = 503
    code = 'cloud_unavailable'


class DatabaseUnavailable(MiddlewareError):
    """503: the service's own database cannot be reached or cannot take
    the request now (a connection refused or lost, a pool with no free
    connection, a busy SQLite file)."""

    status = 503
    code = 'database_unavailable'

    #: Seconds a client waits before trying again.
    RETRY_AFTER = 5

    def __init__(self, message=None, **kwargs):
        kwargs.setdefault('headers', {'Retry-After': str(self.RETRY_AFTER)})
        super().__init__(
            message
            or "the service's database cannot be reached; try again "
            'shortly (a create sent with an Idempotency-Key is made once)',
            **kwargs,
        )


class CloudTimeout(MiddlewareError):
    """504: the provider did not answer within the cloud's timeout."""

    status = 504
    code = 'cloud_timeout'
