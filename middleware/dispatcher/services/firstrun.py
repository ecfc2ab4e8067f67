"""The first run: an admin token when the service has none at all.

Secure by default and still easy to start: the first time the service
starts on a database without any token it creates an admin token, writes
it to ``<instance>/admin-token``, readable by the service's user only,
shows it once on the console when the service runs on a terminal, and
logs (at WARNING) where the file is, never the value.  Several gunicorn
workers starting together agree through the database, so exactly one token
is created.
"""

import logging
import os
import sys

from dispatcher import storage
from dispatcher.services import tokens as token_service

LOG = logging.getLogger(__name__)

#: The file of the first-run token, in the instance folder.
TOKEN_FILE = 'admin-token'


def write_secret_file(path, text):
    """Write ``text`` to ``path``, readable and writable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, text.encode('utf-8'))
    finally:
        os.close(descriptor)


def ensure_first_token(app):
    """Create, save and show the first admin token if there is no token.

    :returns: the new token's description, or ``None`` when tokens exist.
    """
    created = token_service.create_first_token(storage.database(app))
    if created is None:
        return None
    description, value = created
    path = os.path.join(app.instance_path, TOKEN_FILE)
    try:
        write_secret_file(path, value + '\n')
        saved = 'saved in %s (readable by this user only)' % path
    except OSError as exc:
        saved = (
            'NOT saved: %s cannot be written (%s); make another with '
            'mw token-bootstrap --lost' % (path, exc.strerror or exc)
        )
    # The log names the file, never the value: logs travel further than the
    # console.  The value itself is shown on the console, when there is one.
    LOG.warning(
        'no API token existed, so an admin token was created (id %s) and '
        '%s; send it in the X-Auth-Token header, e.g. curl -H '
        '"X-Auth-Token: $(cat %s)" %s/v1/clouds; make more '
        'with mw token-create',
        description['id'],
        saved,
        path,
        serving_url(app.config),
    )
    show_on_console(value)
    return description


def serving_url(config, argv=None, environ=None):
    """The base URL the service is reached at, for hints.

    Under gunicorn's own command line, its ``--bind`` (read with gunicorn's
    parser, ``GUNICORN_CMD_ARGS`` included; gunicorn's default otherwise);
    else the ``HOST`` and ``PORT`` settings (``mw serve`` sets them).
    """
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    bind = None
    if argv and 'gunicorn' in os.path.basename(
        os.path.dirname(argv[0])
        if argv[0].endswith('__main__.py')
        else argv[0]
    ):
        bind = _gunicorn_bind(argv[1:], environ)
    if bind is None:
        host = str(config.get('HOST') or '127.0.0.1')
        bind = '%s:%s' % (
            '[%s]' % host if ':' in host else host,
            config.get('PORT') or 5070,
        )
    if bind.startswith('unix:'):
        return 'http://localhost (through the socket %s)' % bind[5:]
    if bind.startswith(('0.0.0.0:', '[::]:')):
        bind = '127.0.0.1:' + bind.rsplit(':', 1)[1]
    return 'http://' + bind


def _gunicorn_bind(args, environ):
    import shlex

    from gunicorn.config import Config

    parser = Config().parser()
    given = shlex.split(environ.get('GUNICORN_CMD_ARGS', '')) + list(args)
    try:
        parsed, _ = parser.parse_known_args(given)
    except SystemExit:
        return None
    binds = getattr(parsed, 'bind', None)
    return binds[0] if binds else '127.0.0.1:8000'


def show_on_console(value, stream=None):
    """Write the first-run token to the terminal, if the process has one."""
    stream = sys.stderr if stream is None else stream
    if stream.isatty():
        stream.write(
            '\n    the first admin token, shown this once: %s\n\n' % value
        )
        stream.flush()
