"""Translation of driver failures into the service's errors.

libcloud raises from two exception trees (``LibcloudError`` with
``ProviderError``/``InvalidCredsError``/``ServiceUnavailableError``, and
``BaseHTTPError`` with ``RateLimitReachedError``), and below them the
``requests`` and socket errors of a connection that failed or timed out.
Everything a driver raises passes through :func:`translate` at the driver
boundary, so the API sees only :class:`~dispatcher.errors.MiddlewareError`.
"""

import logging
import socket

import requests
from libcloud.common.exceptions import BaseHTTPError, RateLimitReachedError
from libcloud.common.types import (
    InvalidCredsError,
    LibcloudError,
    MalformedResponseError,
    ProviderError,
    ServiceUnavailableError,
)

from dispatcher import errors

LOG = logging.getLogger(__name__)

_TIMEOUTS = (requests.exceptions.Timeout, socket.timeout, TimeoutError)
_UNREACHABLE = (
    requests.exceptions.ConnectionError,
    ConnectionError,
    socket.gaierror,
)


def redact(text, secrets):
    """``text`` with every secret in ``secrets`` replaced by ``***``."""
    text = str(text)
    for secret in secrets:
        if secret and len(str(secret)) >= 4:
            text = text.replace(str(secret), '***')
    return text


def _retry_after(exc):
    value = getattr(exc, 'retry_after', None)
    headers = getattr(exc, 'headers', None) or {}
    for key, header in headers.items():
        if str(key).lower() == 'retry-after':
            value = header
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _from_status(status, message, cloud, exc):
    """An error for a provider answer with HTTP ``status``."""
    provider_says = 'cloud %r: %s' % (cloud, message or 'HTTP %s' % status)
    if status == 429:
        return errors.RateLimited(
            provider_says, retry_after=_retry_after(exc), cloud=cloud
        )
    if status in (401, 403):
        return errors.ProviderError(
            "cloud %r refused the farm's credentials" % cloud,
            code='cloud_auth_failed',
            cloud=cloud,
        )
    if status == 404:
        return errors.NotFound(
            provider_says, code='provider_not_found', cloud=cloud
        )
    if status == 409:
        return errors.Conflict(
            provider_says, code='provider_conflict', cloud=cloud
        )
    if status is not None and 400 <= status < 500:
        return errors.BadRequest(
            provider_says, code='provider_rejected', cloud=cloud
        )
    return errors.ProviderError(provider_says, cloud=cloud)


def translate(exc, cloud, operation, secrets=()):
    """The :class:`~dispatcher.errors.MiddlewareError` for a driver failure.

    :param exc: what the driver raised.
    :param cloud: the farm name of the cloud, named in the error.
    :param operation: the driver operation, named when it is unsupported.
    :param secrets: values that must not appear in the message.
    """
    if isinstance(exc, errors.MiddlewareError):
        if exc.cloud is None:
            exc.cloud = cloud
        return exc
    error = _translate(exc, cloud, operation)
    error.message = redact(error.message, secrets)
    return error


def _translate(exc, cloud, operation):
    if isinstance(exc, NotImplementedError):
        return errors.NotSupported(
            'cloud %r does not support %s' % (cloud, operation), cloud=cloud
        )
    if isinstance(exc, InvalidCredsError):
        return _from_status(401, None, cloud, exc)
    if isinstance(exc, RateLimitReachedError):
        return _from_status(429, 'rate limit exceeded', cloud, exc)
    if isinstance(exc, BaseHTTPError):
        return _from_status(exc.code, exc.message, cloud, exc)
    if isinstance(exc, ServiceUnavailableError):
        return errors.CloudUnavailable(
            'cloud %r is unavailable: %s' % (cloud, exc.value), cloud=cloud
        )
    if isinstance(exc, ProviderError):
        return _from_status(exc.http_code, exc.value, cloud, exc)
    if isinstance(exc, MalformedResponseError):
        return errors.ProviderError(
            'cloud %r sent an answer that could not be read' % cloud,
            cloud=cloud,
        )
    if isinstance(exc, LibcloudError):
        return errors.ProviderError(
            'cloud %r: %s' % (cloud, exc.value), cloud=cloud
        )
    if isinstance(exc, _TIMEOUTS):
        return errors.CloudTimeout(
            'cloud %r did not answer in time' % cloud, cloud=cloud
        )
    if isinstance(exc, _UNREACHABLE):
        return errors.CloudUnavailable(
            'cloud %r cannot be reached' % cloud, cloud=cloud
        )
    if type(exc).__name__ == 'libvirtError':
        return errors.ProviderError('cloud %r: %s' % (cloud, exc), cloud=cloud)
    return errors.ProviderError(
        'cloud %r: %s failed (%s)' % (cloud, operation, type(exc).__name__),
        cloud=cloud,
    )
