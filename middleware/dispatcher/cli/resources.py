"""The shape every client command shares: list, show, act, wait.

A command module describes a collection once (its route, the JSON key of
its items, the table's columns) and gets its commands from here, so that a
new collection of the API is a few lines::

    JOB_COLUMNS = [('ID', 'id'), ('Kind', 'kind'), ('State', 'state')]
    job_list = list_command('job-list', '/v1/jobs', 'jobs', JOB_COLUMNS,
                            'List the jobs.', filters=('state',))
    job_show = show_command('job-show', '/v1/jobs/{job_id}', 'job',
                            'Show one job.', arguments=[('job_id', 'ID')])
    COMMANDS = [job_list, job_show]

and :func:`wait_for` polls any resource until it settles.
"""

import click

from dispatcher.cli.api_client import path
from dispatcher.cli.errors import AmbiguousName, ApiError
from dispatcher.cli.output import (
    print_freshness,
    print_json,
    print_list,
    print_object,
)
from dispatcher.cli.progress import poll_until
from dispatcher.cli.session import Session, argument_param, json_param

#: The most items the API returns in one page.
MAX_PAGE_SIZE = 1000


_LIMIT_ATTRS = dict(
    type=click.IntRange(1, MAX_PAGE_SIZE),
    default=None,
    help="Items per request (the service's page size when not given); "
    'every page is fetched and printed.',
)

#: Decorator: the ``--limit`` option of a list command.
limit_option = click.option('--limit', **_LIMIT_ATTRS)


def limit_param():
    """``--limit`` as a parameter, for commands built in code."""
    return click.Option(['--limit'], **_LIMIT_ATTRS)


def current_session():
    """The :class:`Session` of the command being run."""
    return click.get_current_context().find_object(Session)


def show_list(session, route, collection, columns, params=None, limit=None):
    """Print every item of a paginated list: table or merged JSON.  Under
    a table, how fresh the answer is goes to stderr."""
    answer = session.client.list_all(route, collection, params, limit)
    if session.json_output:
        print_json(answer)
    else:
        print_list(answer[collection], columns)
        print_freshness(answer.get('freshness'))
    return answer


def show_object(session, answer, key, hidden=()):
    """Print ``answer[key]`` as Property/Value, or the whole answer as JSON."""
    if session.json_output:
        print_json(answer)
    else:
        print_object(answer[key], hidden)


def report(session, answer, message):
    """Print the answer of an action: its JSON, or one line for people."""
    if session.json_output:
        if answer is not None:
            print_json(answer)
    else:
        click.echo(message)


def wait_for(
    session, route, key, describe, done, failed, timeout, interval=1.0
):
    """Poll ``GET route`` until ``answer[key]['state']`` settles.

    Returns the last answer; see :func:`~dispatcher.cli.progress.poll_until`
    for ``done``, ``failed`` and ``timeout``.
    """
    last = {}

    def fetch():
        last['answer'] = session.client.get(route)
        return last['answer'][key]

    poll_until(
        fetch,
        lambda resource: resource.get('state'),
        describe,
        done,
        failed,
        timeout,
        interval,
    )
    return last['answer']


def find_item(session, kind, route, value, **route_values):
    """The answer for the ``kind`` whose ID, or else whose name, is
    ``value`` (OpenStack client's habit): ``{kind: item}``.

    :param route: the item's route; its last ``{...}`` is the ID.
    :raises AmbiguousName: several items have that name (they are named).
    """
    id_key = route.rsplit('{', 1)[1].rstrip('}')
    try:
        return session.client.get(
            path(route, **dict(route_values, **{id_key: value}))
        )
    except ApiError as exc:
        if exc.status != 404:
            raise
        collection_route = route.rsplit('/', 1)[0]
        collection = collection_route.rsplit('/', 1)[1]
        listed = session.client.list_all(
            path(collection_route, **route_values),
            collection,
            {'name': value},
        )[collection]
        matches = [item for item in listed if item.get('name') == value]
        if not matches:
            raise
        if len(matches) > 1:
            raise AmbiguousName(kind.replace('_', ' '), value, matches)
        return {kind: matches[0]}


def find_id(session, kind, route, value, **route_values):
    """The ID of the ``kind`` whose ID or name is ``value``."""
    return find_item(session, kind, route, value, **route_values)[kind]['id']


#: Decorator: the ``--fresh`` option of a list read from the inventory.
fresh_option = click.option(
    '--fresh',
    is_flag=True,
    default=None,
    help="Ask the providers now rather than the service's inventory.",
)


def fresh_param():
    """``--fresh`` as a parameter, for commands built in code."""
    return click.Option(
        ['--fresh'],
        is_flag=True,
        default=None,
        help="Ask the providers now rather than the service's inventory.",
    )


def _arguments(arguments):
    params = []
    for argument in arguments:
        name, metavar = (
            (argument, None) if isinstance(argument, str) else argument
        )
        params.append(argument_param(name, metavar))
    return params


def list_command(
    name,
    route,
    collection,
    columns,
    help,
    arguments=(),
    filters=(),
    fresh=False,
):
    """A ``NAME-list`` command printing every page of ``route``.

    :param route: the path, with ``{argument}`` for each of ``arguments``.
    :param collection: the JSON key of the items.
    :param columns: ``(heading, key)`` pairs of the table.
    :param arguments: argument names, or ``(name, METAVAR)`` pairs.
    :param filters: query filters offered as ``--<filter>`` options.
    :param fresh: the list comes from the inventory: offer ``--fresh``.
    """
    params = _arguments(arguments)
    names = [p.name for p in params]

    def callback(limit, **values):
        route_values = {n: values.pop(n) for n in names}
        show_list(
            current_session(),
            path(route, **route_values),
            collection,
            columns,
            values,
            limit,
        )

    params += [
        click.Option(['--%s' % f], help='Only items whose %s is this.' % f)
        for f in filters
    ]
    if fresh:
        params.append(fresh_param())
    params += [limit_param(), *json_param()]
    return click.Command(name, callback=callback, params=params, help=help)


def show_command(
    name, route, key, help, arguments=(), hidden=(), by_name=False
):
    """A ``NAME-show`` command printing ``GET route`` as Property/Value.

    :param by_name: the last argument may be a name instead of an ID.
    """
    params = _arguments(arguments)

    def callback(**values):
        session = current_session()
        if by_name:
            id_key = route.rsplit('{', 1)[1].rstrip('}')
            value = values.pop(id_key)
            answer = find_item(session, key, route, value, **values)
        else:
            answer = session.client.get(path(route, **values))
        show_object(session, answer, key, hidden)

    return click.Command(
        name, callback=callback, params=params + json_param(), help=help
    )
