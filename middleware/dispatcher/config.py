"""Loading the settings: defaults, ``MW_SETTINGS`` file, ``MW_*`` variables."""

import json
import os
import runpy
import urllib.parse

from dispatcher import settings as defaults

ENV_PREFIX = 'MW_'


class SettingsError(Exception):
    """The settings file or an ``MW_*`` variable cannot be used."""


def _public_names(namespace):
    values = {k: v for k, v in namespace.items() if k.isupper()}
    cloud_config = namespace.get('CloudConfig')
    if cloud_config is not None and hasattr(cloud_config, 'CLOUD_FARM'):
        values['CLOUD_FARM'] = cloud_config.CLOUD_FARM
    return values


def _parse_env(value):
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_farm(value):
    """``MW_CLOUD_FARM``: the whole farm as a JSON object."""
    try:
        farm = json.loads(value)
    except ValueError as exc:
        raise SettingsError('MW_CLOUD_FARM is not valid JSON: %s' % exc)
    if not isinstance(farm, dict):
        raise SettingsError(
            'MW_CLOUD_FARM must be a JSON object: cloud name -> farm entry'
        )
    return farm


#: Settings that are URLs of the services the app connects to, which may
#: hold a password.
SERVICE_URLS = ('DATABASE_URL', 'BROKER_URL')


def url_passwords(settings):
    """The passwords written in the settings' :data:`SERVICE_URLS`, as
    written and decoded: what no log line may show."""
    found = set()
    for name in SERVICE_URLS:
        try:
            password = urllib.parse.urlsplit(str(settings.get(name) or ''))
            password = password.password
        except ValueError:
            continue
        if password:
            found.update({password, urllib.parse.unquote(password)})
    return found


def load_settings(environ=None):
    """The settings as a dict, in the documented order of precedence."""
    environ = os.environ if environ is None else environ
    values = _public_names(vars(defaults))
    path = environ.get('MW_SETTINGS')
    if path:
        if not os.path.isfile(path):
            raise SettingsError(
                'MW_SETTINGS names %s, which is not a file' % path
            )
        try:
            values.update(_public_names(runpy.run_path(path)))
        except Exception as exc:
            raise SettingsError(
                'the settings file %s cannot be loaded: %s: %s'
                % (path, type(exc).__name__, exc)
            )
    for key, value in environ.items():
        if key == 'MW_CLOUD_FARM':
            values['CLOUD_FARM'] = _parse_farm(value)
            continue
        # MW_CLOUD_<NAME>_<KEY> are credentials, read by cloud_init.
        if not key.startswith(ENV_PREFIX) or key.startswith('MW_CLOUD_'):
            continue
        name = key[len(ENV_PREFIX) :]
        if name in ('SETTINGS', 'URL', 'TOKEN'):
            continue
        values[name] = _parse_env(value)
    return values


#: The name of the service's per-user data folder.
APP_NAME = 'mw-dispatcher'


def instance_folder(settings):
    """The folder of the service's local state, as an absolute path.

    ``INSTANCE_PATH`` (or ``MW_INSTANCE_PATH``) when set, else the user's
    data folder (``$XDG_DATA_HOME/mw-dispatcher``, by default
    ``~/.local/share/mw-dispatcher`` on Linux): the same for ``pip install
    .`` and ``pip install -e .``, so that reinstalling keeps the nodes,
    stacks and tokens.
    """
    import platformdirs

    chosen = settings.get('INSTANCE_PATH')
    if chosen:
        return os.path.abspath(chosen)
    return platformdirs.user_data_dir(APP_NAME, appauthor=False)


def use_settings_file(path=None):
    """Make ``path`` (if given) this process's settings file, and load.

    It goes into ``MW_SETTINGS``, so that an app built later in this process
    or in its children (gunicorn workers) reads the same file.
    """
    if path:
        os.environ['MW_SETTINGS'] = os.path.abspath(path)
    return load_settings()
