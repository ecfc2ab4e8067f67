"""The failures ``mw`` reports, each with its own exit status.

========  ==============================================================
status    meaning
========  ==============================================================
0         success
1         the API answered with an error, or an operation failed
2         the command line is wrong (click's usage errors)
3         the service cannot be reached at the URL
4         the service needs a token, or refused the one given
========  ==============================================================

Every failure is printed as one ``ERROR:`` line on stderr, never as a
traceback; with ``-f json`` or ``-f yaml`` (or ``--json``) it is printed as
data instead, ``{"error": {"message": ..., "status": ..., "code": ...}}``,
so that scripts read failures the way they read answers.
"""

import json

import click
import yaml

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_AUTH = 4

#: How the running command prints failures: ``None`` (a line of text),
#: ``'json'`` or ``'yaml'``.  Set from the output options.
ERROR_FORMAT = {'format': None}


def dump(data, output_format):
    """``data`` as JSON (indented) or YAML text."""
    if output_format == 'yaml':
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return json.dumps(data, indent=2)


class CommandFailed(click.ClickException):
    """An operation did not succeed (exit status 1)."""

    exit_code = EXIT_FAILED
    #: The ``code`` of the failure as data.
    code = 'command_failed'

    def as_data(self):
        """The failure as ``-f json``/``-f yaml`` print it."""
        return {
            'error': {
                'message': self.format_message(),
                'code': self.code,
                'exit_status': self.exit_code,
            }
        }

    def show(self, file=None):
        output_format = ERROR_FORMAT['format']
        if output_format in ('json', 'yaml'):
            click.echo(
                dump(self.as_data(), output_format).rstrip('\n'), err=True
            )
        else:
            click.echo('ERROR: %s' % self.format_message(), err=True)


class ApiError(CommandFailed):
    """The API answered with its error object (exit status 1)."""

    def __init__(self, status, error):
        self.status = status
        self.error = error
        super().__init__(describe_error(status, error))

    def as_data(self):
        error = dict(self.error or {})
        error.setdefault('status', self.status)
        error.setdefault('message', self.format_message())
        error['exit_status'] = self.exit_code
        return {'error': error}


class AmbiguousName(CommandFailed):
    """A name given for an ID matches several items (exit status 1)."""

    code = 'ambiguous_name'

    def __init__(self, kind, name, matches):
        self.matches = matches
        super().__init__(
            '%d %ss are named %r: %s; give the ID of one'
            % (
                len(matches),
                kind,
                name,
                ', '.join(
                    '%s (%s)'
                    % (m.get('id'), m.get('state') or m.get('status'))
                    for m in matches
                ),
            )
        )

    def as_data(self):
        data = super().as_data()
        data['error']['matches'] = self.matches
        return data


class ServiceUnreachable(CommandFailed):
    """No answer from the service: refused, unresolvable or timed out."""

    code = 'service_unreachable'

    exit_code = EXIT_UNREACHABLE


class AuthenticationFailed(ApiError):
    """401 or 403: the token is missing, refused or not allowed."""

    exit_code = EXIT_AUTH

    def __init__(self, status, error, url, token_given):
        super().__init__(status, error)
        if status == 403:
            hint = 'the token given is not allowed to do this'
        elif token_given:
            hint = 'the service at %s refused the token' % url
        else:
            hint = (
                'the service at %s needs a token: pass --token or set '
                'MW_TOKEN' % url
            )
        self.message = '%s; %s' % (hint, self.message)


def describe_error(status, error):
    """One line for an API error object: message, status, code, cloud."""
    details = ['HTTP %s' % error.get('status', status)]
    if error.get('code'):
        details.append(str(error['code']))
    if error.get('cloud'):
        details.append('cloud %s' % error['cloud'])
    if error.get('field'):
        details.append('field %s' % error['field'])
    if error.get('request_id'):
        details.append('request id %s' % error['request_id'])
    message = error.get('message') or 'the service answered HTTP %s' % status
    return '%s (%s)' % (message, ', '.join(details))
