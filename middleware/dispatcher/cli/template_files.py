"""Reading a stack template from a file: YAML or JSON.

A template the service would refuse is for the service to say (it names
the field); a file that is not a template at all is a usage error of the
command line, naming the file.
"""

import json
import os

import click
import yaml


def _parse(text, extension):
    """``(template, error)`` of a template's text, by the file's extension:
    JSON, YAML, or JSON then YAML when the extension says neither."""
    if extension != '.yaml' and extension != '.yml':
        try:
            return json.loads(text), None
        except ValueError as exc:
            if extension == '.json':
                return None, 'is not valid JSON: %s' % exc
    try:
        return yaml.safe_load(text), None
    except yaml.YAMLError as exc:
        kind = 'YAML' if extension in ('.yaml', '.yml') else 'JSON or YAML'
        return None, 'is not valid %s: %s' % (kind, _yaml_reason(exc))


def _yaml_reason(exc):
    """``line 5, column 1: expected ...`` of a YAML error."""
    mark = getattr(exc, 'problem_mark', None)
    problem = getattr(exc, 'problem', None)
    if mark is None or not problem:
        return ' '.join(str(exc).split())
    return 'line %d, column %d: %s' % (mark.line + 1, mark.column + 1, problem)


def load_template(file_name):
    """The stack template in ``file_name`` (``-`` for stdin), as a dict.

    ``.json`` files are JSON, ``.yaml`` and ``.yml`` files YAML; any other
    name is read as JSON, then as YAML.

    :raises click.BadParameter: unreadable, not parsable, or not a mapping.
    """

    def bad(reason):
        return click.BadParameter(
            '%s %s' % (click.format_filename(file_name), reason),
            param_hint="'-f' / '--file'",
        )

    try:
        with click.open_file(file_name, encoding='utf-8') as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise bad('cannot be read: %s' % exc)
    template, error = _parse(text, os.path.splitext(file_name)[1].lower())
    if error:
        raise bad(error)
    if not isinstance(template, dict):
        raise bad(
            'must hold a stack template (a mapping with name and '
            'groups), not %s'
            % (
                'nothing'
                if template is None
                else 'a %s' % type(template).__name__
            )
        )
    try:
        json.dumps(template)
    except (TypeError, ValueError) as exc:
        raise bad('holds a value JSON cannot carry (%s); quote it' % exc)
    return template
