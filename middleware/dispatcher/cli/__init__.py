"""``mw``: the command-line client of the middleware, and its server.

The ``main`` group holds the global options; the commands live in the
modules of :data:`COMMAND_MODULES`, each of which lists its click commands
(or groups) in ``COMMANDS``.  Adding a module name here is all it takes to
add its commands to ``mw``.
"""

import importlib

import click

from dispatcher import __version__
from dispatcher.cli.api_client import DEFAULT_URL
from dispatcher.cli.session import (
    FORMATS,
    Session,
    use_format,
    validate_url,
)

#: The modules whose ``COMMANDS`` make up ``mw``.
COMMAND_MODULES = [
    'dispatcher.cli.clouds',
    'dispatcher.cli.nodes',
    'dispatcher.cli.catalogue',
    'dispatcher.cli.key_pairs',
    'dispatcher.cli.volumes',
    'dispatcher.cli.stacks',
    'dispatcher.cli.jobs',
    'dispatcher.cli.server',
    'dispatcher.cli.worker',
    'dispatcher.cli.db',
    'dispatcher.cli.docs',
    'dispatcher.cli.tokens',
]

CONTEXT_SETTINGS = {
    'help_option_names': ['-h', '--help'],
    'max_content_width': 100,
}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.option(
    '--url',
    envvar='MW_URL',
    default=DEFAULT_URL,
    show_default=True,
    show_envvar=True,
    callback=validate_url,
    help='Base URL of the service.',
)
@click.option(
    '--token',
    envvar='MW_TOKEN',
    show_envvar=True,
    help='API token, sent as the X-Auth-Token header.',
)
@click.option(
    '--json',
    'json_output',
    is_flag=True,
    help="Print the API's JSON answers instead of tables (same as -f json; "
    'every command also takes --json, -f and -c).',
)
@click.option(
    '-f',
    '--format',
    'output_format',
    type=click.Choice(FORMATS),
    help="table (default); json or yaml: the API's answers, and errors as "
    'data on stderr; value: bare values, one row per line.',
)
@click.option(
    '-c',
    '--column',
    'columns',
    multiple=True,
    metavar='COLUMN',
    help='Only this column in table and value output; repeat for several.',
)
@click.option(
    '--request-timeout',
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    metavar='SECONDS',
    help='How long one HTTP request may take.',
)
@click.version_option(__version__, prog_name='mw')
@click.pass_context
def main(
    ctx, url, token, json_output, output_format, columns, request_timeout
):
    """Command-line client of the multi-cloud middleware.

    Every command but "serve" talks to the service's HTTP API at --url.
    Lists are tables (all pages are fetched), single objects are
    Property/Value tables; --json prints the API's JSON for scripts.

    \b
    Examples:
      mw serve                      run the service on the built-in farm
      mw cloud-list                 the clouds of the farm
      mw node-create default --name web-1 --size small \\
          --image img-ubuntu-24.04 --wait
      mw node-list --state running -c name -c state
      mw node-show default web-1 -f yaml     (a name or an ID)

    \b
    Exit status:
      0  success
      1  the API answered an error, or the operation failed
      2  usage error (unknown command or option, bad value)
      3  the service cannot be reached at --url
      4  the token is missing or refused (HTTP 401/403)

    \b
    Shell completion (commands, options and cloud names):
      bash:  eval "$(_MW_COMPLETE=bash_source mw)"    (in ~/.bashrc)
      zsh:   eval "$(_MW_COMPLETE=zsh_source mw)"     (in ~/.zshrc)
      fish:  _MW_COMPLETE=fish_source mw | source
    """
    ctx.obj = Session(
        url,
        token,
        json_output,
        request_timeout,
        output_format=output_format,
        columns=columns,
    )
    use_format(ctx.obj, ctx.obj.format)


def _add_commands(group, module_names):
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for command in module.COMMANDS:
            _keep_own_short_options(command)
            group.add_command(command)


def _keep_own_short_options(command):
    # A command's own short option wins over an output option's
    # (stack-create's -f is its template file; --format still works).
    own = {
        opt
        for param in command.params
        if param.name != 'output_format'
        for opt in param.opts
    }
    for param in command.params:
        if param.name == 'output_format':
            param.opts = [opt for opt in param.opts if opt not in own]


_add_commands(main, COMMAND_MODULES)
