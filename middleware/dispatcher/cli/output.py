"""What ``mw`` prints: prettytable tables, Property/Value tables, JSON.

A list is a table of one row per item; a single object is a two-column
Property/Value table, as the nova client prints them.  ``--json`` prints
the API's JSON answer instead, for scripts.
"""

import json

import click
import prettytable

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


def list_table(items, columns):
    """The table of ``items``: ``columns`` is ``(heading, key)`` pairs."""
    table = _table([heading for heading, _ in columns])
    for item in items:
        table.add_row([format_value(lookup(item, key)) for _, key in columns])
    return table.get_string()


def object_table(obj, hidden=()):
    """The Property/Value table of one object, minus ``hidden`` keys."""
    table = _table(['Property', 'Value'])
    for name, value in flatten(
        {k: v for k, v in obj.items() if k not in hidden}
    ):
        table.add_row([name, format_value(value)])
    return table.get_string()


def print_json(data):
    """``data`` as indented JSON on stdout."""
    click.echo(json.dumps(data, indent=2))


def print_list(items, columns):
    click.echo(list_table(items, columns))


def print_object(obj, hidden=()):
    click.echo(object_table(obj, hidden))


def warn(message):
    """A ``WARNING:`` line on stderr (never mixed into stdout)."""
    click.echo('WARNING: %s' % message, err=True)
