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
            'mw token-create --role admin' % (path, exc.strerror or exc)
        )
    # The log names the file, never the value: logs travel further than the
    # console.  The value itself is shown on the console, when there is one.
    LOG.warning(
        'no API token existed, so an admin token was created (id %s) and '
        '%s; send it in the X-Auth-Token header, e.g. curl -H '
        '"X-Auth-Token: $(cat %s)" http://127.0.0.1:%s/v1/clouds; make more '
        'with mw token-create',
        description['id'],
        saved,
        path,
        app.config.get('PORT', 5070),
    )
    show_on_console(value)
    return description


def show_on_console(value, stream=None):
    """Write the first-run token to the terminal, if the process has one."""
    stream = sys.stderr if stream is None else stream
    if stream.isatty():
        stream.write(
            '\n    the first admin token, shown this once: %s\n\n' % value
        )
        stream.flush()
