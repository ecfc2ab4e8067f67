"""What ``mw`` prints: prettytable tables, Property/Value tables, data.

A list is a table of one row per item; a single object is a two-column
Property/Value table, as the nova client prints them.  ``-f json`` (or
``--json``) and ``-f yaml`` print the API's answer instead, for scripts;
``-f value`` prints bare values, one row per line; ``-c COLUMN`` keeps
only the columns named, as the OpenStack client's formatters do.
"""

import json

import click
import prettytable

from dispatcher.cli.errors import dump

#: Widest a table cell grows before its text wraps.
MAX_CELL_WIDTH = 72


def format_value(value):
    """One cell: lists joined by commas, objects as compact JSON."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ', '.join(format_value(v) for v in value)
        return json.dumps(value, sort_keys=True)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def lookup(item, key):
    """``item[key]``, where ``key`` may be a dotted path into objects."""
    value = item
    for part in key.split('.'):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def flatten(obj, prefix=''):
    """``(property, value)`` pairs of an object; nested objects dotted."""
    rows = []
    for key, value in obj.items():
        name = prefix + str(key)
        if isinstance(value, dict) and value:
            rows.extend(flatten(value, name + '.'))
        else:
            rows.append((name, value))
    return rows


def _table(headings):
    table = prettytable.PrettyTable(headings)
    table.align = 'l'
    for heading in headings:
        table.max_width[heading] = MAX_CELL_WIDTH
    return table


def _wanted(names, chosen):
    """Indexes of ``names`` (each a tuple of spellings) that ``chosen``
    asks for, in the order asked; a usage error names a column that is
    not there."""
    if not chosen:
        return list(range(len(names)))
    found = []
    for choice in chosen:
        matches = [
            index
            for index, spellings in enumerate(names)
            if choice.lower() in (s.lower() for s in spellings)
        ]
        if not matches:
            raise click.UsageError(
                'no column %r; the columns are: %s'
                % (choice, ', '.join(spellings[0] for spellings in names))
            )
        found.extend(i for i in matches if i not in found)
    return found


def list_table(items, columns, chosen=(), output_format='table'):
    """The table of ``items``: ``columns`` is ``(heading, key)`` pairs."""
    keep = _wanted(
        [(heading, key, key.rsplit('.', 1)[-1]) for heading, key in columns],
        chosen,
    )
    rows = [
        [format_value(lookup(item, columns[i][1])) for i in keep]
        for item in items
    ]
    if output_format == 'value':
        return '\n'.join(' '.join(row) for row in rows)
    table = _table([columns[i][0] for i in keep])
    for row in rows:
        table.add_row(row)
    return table.get_string()


def object_table(obj, hidden=(), chosen=(), output_format='table'):
    """The Property/Value table of one object, minus ``hidden`` keys."""
    pairs = flatten({k: v for k, v in obj.items() if k not in hidden})
    keep = _wanted([(name,) for name, _ in pairs], chosen)
    if output_format == 'value':
        return '\n'.join(format_value(pairs[i][1]) for i in keep)
    table = _table(['Property', 'Value'])
    for index in keep:
        name, value = pairs[index]
        table.add_row([name, format_value(value)])
    return table.get_string()


def _session():
    from dispatcher.cli.session import Session

    context = click.get_current_context(silent=True)
    return context.find_object(Session) if context is not None else None


def _choices():
    session = _session()
    if session is None:
        return (), 'table'
    return session.columns, session.format


def print_json(data):
    """The API's answer ``data`` on stdout, as JSON or (``-f yaml``) YAML."""
    output_format = _choices()[1]
    click.echo(
        dump(data, 'yaml' if output_format == 'yaml' else 'json').rstrip('\n')
    )


def print_list(items, columns):
    chosen, output_format = _choices()
    click.echo(list_table(items, columns, chosen, output_format))


def print_object(obj, hidden=()):
    chosen, output_format = _choices()
    click.echo(object_table(obj, hidden, chosen, output_format))


def describe_freshness(freshness):
    """One line per cloud of an answer's ``freshness``, e.g.
    ``sim-eu: observed 12 s ago (fresh)``."""
    if not freshness:
        return []
    if isinstance(freshness, dict):
        freshness = [freshness]
    lines = []
    for entry in freshness:
        age = entry.get('age_s')
        seen = (
            'never listed'
            if age is None
            else 'observed %s ago' % _duration(age)
        )
        status = entry.get('status') or 'unknown'
        reason = (entry.get('error') or {}).get('message')
        lines.append(
            '%s: %s (%s%s)'
            % (
                entry.get('cloud'),
                seen,
                status,
                ': ' + reason if reason else '',
            )
        )
    return lines


def _duration(seconds):
    if seconds < 90:
        return '%d s' % round(seconds)
    if seconds < 5400:
        return '%d min' % round(seconds / 60)
    return '%.1f h' % (seconds / 3600)


def print_freshness(freshness):
    """How fresh a listing is, on stderr (never mixed into stdout)."""
    for line in describe_freshness(freshness):
        click.echo(line, err=True)


def warn(message):
    """A ``WARNING:`` line on stderr (never mixed into stdout)."""
    click.echo('WARNING: %s' % message, err=True)
