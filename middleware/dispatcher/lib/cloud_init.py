"""From the settings' ``CLOUD_FARM`` to connected, ready clouds.

:func:`prepare_cloud_environment` is the place to customise how the service
logs in to the clouds.  Each farm entry is checked on its own: a broken one
(unknown label, a field its driver's configuration refuses, missing SDK) is
logged by name with the reason and kept as an *unavailable* cloud, and the
rest of the farm still serves.

Credentials need not sit in the settings file.  For ``USER`` and
``PASSWORD`` an entry may give ``PASSWORD_ENV`` (the name of an environment
variable) or ``PASSWORD_FILE`` (a file holding the value), and the variable
``MW_CLOUD_<NAME>_PASSWORD`` (the cloud's name upper-cased, other characters
as ``_``) overrides whatever the file says.
"""

import collections
import logging
import os
import re

from dispatcher.lib import cloud_factory, collectors
from dispatcher.lib.cloud import Cloud
from dispatcher.lib.cloud_factory import get_driver_class
from dispatcher.lib.cloud_factory.configuration import Schema
from dispatcher.lib.cloud_factory.drivers import build
from dispatcher.lib.cloud_factory.translate import redact

LOG = logging.getLogger(__name__)

CREDENTIAL_KEYS = ('USER', 'PASSWORD')
_ENTRY_KEYS = {
    'ENGINE',
    'USER',
    'PASSWORD',
    'EXTRA_PARAMS',
    'TIMEOUT',
    'MAX_CONCURRENCY',
    'CALLS_PER_SECOND',
    'COLLECTOR',
    'UNSUPPORTED',
    'USER_ENV',
    'USER_FILE',
    'PASSWORD_ENV',
    'PASSWORD_FILE',
}


def env_name(cloud, key):
    """The environment variable that overrides ``key`` of ``cloud``."""
    return 'MW_CLOUD_%s_%s' % (re.sub(r'[^A-Z0-9]', '_', cloud.upper()), key)


def resolve_credentials(name, entry, environ=None):
    """A copy of ``entry`` with credentials read from the environment/files.

    :raises ValueError: naming the variable or file that cannot be read.
    """
    environ = os.environ if environ is None else environ
    resolved = dict(entry)
    for key in CREDENTIAL_KEYS:
        variable = resolved.pop(key + '_ENV', None)
        path = resolved.pop(key + '_FILE', None)
        if variable:
            if variable not in environ:
                raise ValueError(
                    '%s_ENV names %s, which is not set' % (key, variable)
                )
            resolved[key] = environ[variable]
        if path:
            try:
                with open(path) as handle:
                    resolved[key] = handle.read().strip()
            except OSError as exc:
                raise ValueError(
                    '%s_FILE %s cannot be read (%s)'
                    % (key, path, exc.strerror)
                )
        override = environ.get(env_name(name, key))
        if override:
            resolved[key] = override
    return resolved


def _check_entry(entry):
    if not isinstance(entry, dict):
        raise ValueError('the entry must be a dict')
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise ValueError(
            'unknown key(s) %s; allowed: %s'
            % (', '.join(unknown), ', '.join(sorted(_ENTRY_KEYS)))
        )
    if not entry.get('ENGINE'):
        raise ValueError('ENGINE is missing')
    if not isinstance(entry.get('EXTRA_PARAMS') or {}, dict):
        raise ValueError('EXTRA_PARAMS must be a dict')


def prepare_cloud(
    name,
    entry,
    instance_path=None,
    timeout=30.0,
    max_concurrency=8,
    environ=None,
    calls_per_second=0,
):
    """One :class:`Cloud` for a farm entry, available or with its reason."""
    label = entry.get('ENGINE') if isinstance(entry, dict) else None
    secrets = ()
    schema = None
    try:
        _check_entry(entry)
        creds = resolve_credentials(name, entry, environ)
        secrets = tuple(str(creds.get(k) or '') for k in ('PASSWORD',))
        driver_class = get_driver_class(label)
        collector = entry.get('COLLECTOR') or collectors.DEFAULT_COLLECTOR
        collectors.collector_class(collector)
        schema = driver_class.configuration_schema(label)
        secrets += schema.secret_values(creds)
        creds = schema.validate(creds)
        driver = build(
            driver_class, dict(creds, NAME=name, INSTANCE_PATH=instance_path)
        )
        if driver.connect_at_start:
            # Proves the parameters (no network call) and tells the
            # capabilities of a driver that declares no libcloud class.
            driver.learn(driver.connect())
        return Cloud(
            name,
            label,
            driver,
            timeout=entry.get('TIMEOUT', timeout),
            max_concurrency=entry.get('MAX_CONCURRENCY', max_concurrency),
            secrets=secrets,
            calls_per_second=entry.get('CALLS_PER_SECOND', calls_per_second),
            collector=collector,
        )
    except Exception as exc:
        reason = redact(_describe(exc), secrets)
        LOG.error(
            'cloud %r is unavailable: %s; its entry: %s',
            name,
            reason,
            redact(_shown(entry, schema), secrets),
        )
        return Cloud(name, label, None, reason=reason, timeout=timeout)


def _shown(entry, schema):
    """The farm entry as a log line may show it: secrets masked."""
    if not isinstance(entry, dict):
        return repr(entry)
    return repr((schema or Schema(())).masked(entry))


def _describe(exc):
    if isinstance(exc, ImportError):
        return 'its driver cannot be loaded (%s)' % exc
    if isinstance(exc, TypeError):
        return 'bad parameter for the driver (%s)' % exc
    return str(exc) or type(exc).__name__


def prepare_cloud_environment(
    farm,
    instance_path=None,
    timeout=30.0,
    max_concurrency=8,
    environ=None,
    calls_per_second=0,
):
    """Every farm entry as a :class:`Cloud`, in the farm's order.

    :param farm: ``CLOUD_FARM``, name -> entry.
    :param instance_path: where local state lives (the simulator's files).
    :param timeout: default seconds per provider call.
    :param max_concurrency: default provider calls in flight per cloud.
    :param calls_per_second: default call budget per cloud (0: no rate).
    """
    cloud_factory.report_conflicts(LOG)
    clouds = collections.OrderedDict()
    for name, entry in farm.items():
        clouds[name] = prepare_cloud(
            name,
            entry,
            instance_path,
            timeout,
            max_concurrency,
            environ,
            calls_per_second,
        )
    ready = [c.name for c in clouds.values() if c.available]
    LOG.info(
        'cloud farm ready: %d of %d clouds available (%s)',
        len(ready),
        len(clouds),
        ', '.join(ready) or 'none',
    )
    return clouds
