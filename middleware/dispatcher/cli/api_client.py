"""The HTTP client of ``mw``: requests to the v1 API, errors, pages."""

from urllib.parse import quote

import requests

from dispatcher import __version__
from dispatcher.cli.errors import (
    ApiError,
    AuthenticationFailed,
    CommandFailed,
    ServiceUnreachable,
)

DEFAULT_URL = 'http://127.0.0.1:5070'


def path(template, **values):
    """``template`` with each ``{name}`` replaced by its quoted value."""
    return template.format(
        **{name: quote(str(value), safe='') for name, value in values.items()}
    )


class ApiClient(object):
    """Talks to the service at ``url``, sending ``token`` when given."""

    def __init__(self, url=DEFAULT_URL, token=None, timeout=60.0):
        self.url = url.rstrip('/')
        self.token = token
        self.timeout = timeout
        self._http = requests.Session()
        self._http.headers['Accept'] = 'application/json'
        self._http.headers['User-Agent'] = 'mw/%s' % __version__
        if token:
            self._http.headers['X-Auth-Token'] = token

    def request(self, method, route, params=None, body=None, headers=None):
        """The decoded JSON answer of ``method route`` (``None`` if empty).

        :raises ServiceUnreachable: no answer from the service.
        :raises AuthenticationFailed: 401 or 403.
        :raises ApiError: any other error answer.
        """
        params = {
            k: v for k, v in (params or {}).items() if v not in (None, '')
        }
        try:
            response = self._http.request(
                method,
                self.url + route,
                params=params,
                json=body,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise ServiceUnreachable(
                'the service at %s did not answer within %g s'
                % (self.url, self.timeout)
            )
        except requests.ConnectionError as exc:
            raise ServiceUnreachable(
                'cannot reach the service at %s (%s); is it running? '
                'Start it with "mw serve" or point --url / MW_URL at it'
                % (self.url, _reason(exc))
            )
        except requests.RequestException as exc:
            raise ServiceUnreachable(
                'cannot talk to the service at %s: %s' % (self.url, exc)
            )
        return self._decode(response)

    def get(self, route, **params):
        return self.request('GET', route, params=params)

    def post(self, route, body=None, headers=None):
        return self.request('POST', route, body=body, headers=headers)

    def patch(self, route, body=None):
        return self.request('PATCH', route, body=body)

    def delete(self, route):
        return self.request('DELETE', route)

    def pages(self, route, params=None, limit=None):
        """Every page of a list answer, following ``next_marker``.

        ``fresh`` goes with the first page only: the later ones read what
        it fetched.
        """
        params = dict(params or {}, limit=limit)
        first = {'fresh': params.pop('fresh', None)}
        marker = None
        while True:
            page = self.request(
                'GET',
                route,
                params=dict(
                    params, marker=marker, **(first if marker is None else {})
                ),
            )
            yield page
            next_marker = page.get('next_marker')
            if next_marker in (None, ''):
                return
            if next_marker == marker:
                raise CommandFailed(
                    'the service at %s repeated the marker '
                    '%r of %s' % (self.url, marker, route)
                )
            marker = next_marker

    def list_all(self, route, collection, params=None, limit=None):
        """One list answer holding the items of every page.

        Other list fields of the pages (such as the per-cloud ``errors``
        of ``/v1/nodes``) are merged without repeats.
        """
        merged = {collection: []}
        for page in self.pages(route, params, limit):
            merged[collection].extend(page.get(collection) or [])
            for key, value in page.items():
                if key in (collection, 'next_marker'):
                    continue
                if key == 'freshness':
                    # How fresh the listing was when it began.
                    merged.setdefault(key, value)
                    continue
                if isinstance(value, list):
                    known = merged.setdefault(key, [])
                    known.extend(v for v in value if v not in known)
                else:
                    merged[key] = value
        merged['next_marker'] = None
        return merged

    def _decode(self, response):
        if response.status_code == 204 or not response.content:
            if response.ok:
                return None
            body = None
        else:
            try:
                body = response.json()
            except ValueError:
                body = None
        if response.ok:
            if not isinstance(body, dict):
                raise CommandFailed(
                    'the service at %s answered %s with a body that is not '
                    "a JSON object; is this the middleware's URL?"
                    % (self.url, response.request.path_url)
                )
            return body
        error = body.get('error') if isinstance(body, dict) else None
        if not isinstance(error, dict):
            error = {
                'status': response.status_code,
                'message': (
                    'the service at %s answered HTTP %d %s without an error '
                    "object; is this the middleware's URL?"
                    % (self.url, response.status_code, response.reason)
                ),
            }
        if response.status_code in (401, 403):
            raise AuthenticationFailed(
                response.status_code, error, self.url, bool(self.token)
            )
        raise ApiError(response.status_code, error)


def _reason(exc):
    """The innermost reason of a connection error, without the noise."""
    reason = exc
    while True:
        inner = getattr(reason, 'reason', None) or reason.__context__
        if inner is None or inner is reason:
            break
        reason = inner
    text = str(reason)
    if 'Connection refused' in text:
        return 'connection refused'
    if 'Name or service not known' in text or 'nodename nor servname' in text:
        return 'unknown host name'
    return text.split(': ', 1)[-1] if ': ' in text else text
