"""The first run: an admin token when the service has none at all.

Secure by default and still easy to start: the first time the service
starts on a database without any token it creates an admin token, shows it
once in its log (at WARNING) and writes it to ``<instance>/admin-token``,
readable by the service's user only.  Several gunicorn workers starting
together agree through the database, so exactly one token is created.
"""

import logging
import os

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
        saved = 'NOT saved: %s cannot be written (%s)' % (
            path, exc.strerror or exc)
    # The one log line that shows a token: the filter of dispatcher.logs
    # masks token values in every other.
    LOG.warning(
        'no API token existed, so this admin token was created (id %s); it '
        'is shown only this once and %s:  %s  -- send it in the '
        'X-Auth-Token header, e.g. curl -H "X-Auth-Token: $(cat %s)" '
        'http://127.0.0.1:%s/v1/clouds; make more with mw token-create',
        description['id'], saved, value, path, app.config.get('PORT', 5070),
        extra={'reveals_token': True})
    return description
