"""What every client command shares: the service, the token, the mode.

The ``mw`` group builds one :class:`Session` from its global options
(``--url``, ``--token``, ``--json``, ``--request-timeout``); commands
receive it with ``@pass_session``.  ``@json_option`` gives a command its own
``--json`` flag, the same as the global one.
"""

import click

from dispatcher.cli.api_client import DEFAULT_URL, ApiClient


class Session(object):
    """The service a command talks to and how it prints."""

    def __init__(
        self, url, token=None, json_output=False, request_timeout=60.0
    ):
        self.url = url
        self.token = token
        self.json_output = json_output
        self.request_timeout = request_timeout
        self._client = None

    @property
    def client(self):
        """The :class:`ApiClient`, made on first use."""
        if self._client is None:
            self._client = ApiClient(
                self.url, self.token, self.request_timeout
            )
        return self._client


pass_session = click.make_pass_decorator(Session)


def _set_json(ctx, param, value):
    session = ctx.find_object(Session)
    if value and session is not None:
        session.json_output = True


_JSON_DECLS = ('--json', 'json_output')
_JSON_ATTRS = dict(
    is_flag=True,
    expose_value=False,
    callback=_set_json,
    help="Print the API's JSON answer instead of a table.",
)


def json_option(command):
    """Decorator: the command's own ``--json`` flag."""
    return click.option(*_JSON_DECLS, **_JSON_ATTRS)(command)


def json_param():
    """The ``--json`` flag as a parameter, for commands built in code."""
    return click.Option(_JSON_DECLS, **_JSON_ATTRS)


def validate_url(ctx, param, value):
    """``--url`` must be an http(s) URL: a usage error otherwise."""
    if not value.startswith(('http://', 'https://')):
        raise click.BadParameter(
            '%r is not an http:// or https:// URL' % value
        )
    return value


def complete_cloud_names(ctx, param, incomplete):
    """Shell completion of a CLOUD argument: the farm's names, if reachable."""
    root = ctx.find_root()
    try:
        client = ApiClient(
            root.params.get('url') or DEFAULT_URL,
            root.params.get('token'),
            timeout=2.0,
        )
        clouds = client.list_all('/v1/clouds', 'clouds')['clouds']
    except click.ClickException:
        return []
    return [c['name'] for c in clouds if c['name'].startswith(incomplete)]


def cloud_argument(command):
    """Decorator: the ``CLOUD`` argument, completed from the service."""
    return click.argument(
        'cloud', metavar='CLOUD', shell_complete=complete_cloud_names
    )(command)


def argument_param(name, metavar=None):
    """A required argument; ``cloud`` completes with the farm's names."""
    extra = {'shell_complete': complete_cloud_names} if name == 'cloud' else {}
    return click.Argument([name], metavar=metavar or name.upper(), **extra)
