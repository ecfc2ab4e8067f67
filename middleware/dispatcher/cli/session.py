"""What every client command shares: the service, the token, the format.

The ``mw`` group builds one :class:`Session` from its global options
(``--url``, ``--token``, ``-f``/``--format``, ``--json``, ``-c``/
``--column``, ``--request-timeout``); commands receive it with
``@pass_session``.  ``@json_option`` gives a command the same output
options, as the OpenStack client does.
"""

import click

from dispatcher.cli.api_client import DEFAULT_URL, ApiClient
from dispatcher.cli.errors import ERROR_FORMAT

#: What ``-f`` takes: tables, the API's answer as JSON or YAML, or bare
#: values (one row per line, for shell scripts).
FORMATS = ('table', 'json', 'yaml', 'value')

#: The formats that print the API's answer itself (and errors as data).
MACHINE_FORMATS = ('json', 'yaml')


class Session(object):
    """The service a command talks to and how it prints."""

    def __init__(
        self,
        url,
        token=None,
        json_output=False,
        request_timeout=60.0,
        output_format=None,
        columns=(),
    ):
        self.url = url
        self.token = token
        self.format = output_format or ('json' if json_output else 'table')
        self.columns = list(columns)
        self.request_timeout = request_timeout
        self._client = None

    @property
    def json_output(self):
        """Whether commands print the API's answer (``json``/``yaml``)."""
        return self.format in MACHINE_FORMATS

    @property
    def client(self):
        """The :class:`ApiClient`, made on first use."""
        if self._client is None:
            self._client = ApiClient(
                self.url, self.token, self.request_timeout
            )
        return self._client


pass_session = click.make_pass_decorator(Session)


def use_format(session, output_format):
    """Print answers, and failures, in ``output_format`` from now on."""
    session.format = output_format
    ERROR_FORMAT['format'] = (
        output_format if output_format in MACHINE_FORMATS else None
    )


def _set_json(ctx, param, value):
    session = ctx.find_object(Session)
    if value and session is not None:
        use_format(session, 'json')


def _set_format(ctx, param, value):
    session = ctx.find_object(Session)
    if value and session is not None:
        use_format(session, value)


def _add_columns(ctx, param, value):
    session = ctx.find_object(Session)
    if value and session is not None:
        session.columns.extend(value)


#: A command's output options: ``(declarations, attributes)``.
OUTPUT_OPTIONS = (
    (
        ('--json', 'json_output'),
        dict(
            is_flag=True,
            expose_value=False,
            callback=_set_json,
            help="Print the API's JSON answer (same as -f json).",
        ),
    ),
    (
        ('-f', '--format', 'output_format'),
        dict(
            type=click.Choice(FORMATS),
            expose_value=False,
            callback=_set_format,
            help="table (default); json or yaml: the API's answer, and "
            'errors as data on stderr; value: bare values, one row per '
            'line.',
        ),
    ),
    (
        ('-c', '--column', 'columns'),
        dict(
            multiple=True,
            metavar='COLUMN',
            expose_value=False,
            callback=_add_columns,
            help='Only this column (by heading or field, any case) in '
            'table and value output; repeat for several.',
        ),
    ),
)


def json_option(command):
    """Decorator: the command's own ``--json``, ``-f`` and ``-c``."""
    for declarations, attributes in reversed(OUTPUT_OPTIONS):
        command = click.option(*declarations, **attributes)(command)
    return command


def json_param():
    """The output options as parameters, for commands built in code."""
    return [
        click.Option(declarations, **attributes)
        for declarations, attributes in OUTPUT_OPTIONS
    ]


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
