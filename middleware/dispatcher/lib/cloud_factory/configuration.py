"""What a farm entry may hold, declared by each driver.

A driver lists the fields of its farm entry as :class:`Field` objects (in
the manner of Redash's query runners): ``USER`` and ``PASSWORD`` at the top
of the entry, every other name a key of ``EXTRA_PARAMS``.  The service
checks each entry against its driver's fields before the driver sees it
(:func:`validate`), publishes them at ``GET /v1/providers/<label>``, masks
the secret ones wherever an entry is shown (:func:`masked`), and the
configuration reference of the docs is written from them.

A driver that declares no fields gets them from the constructor of its
libcloud class (:func:`from_libcloud`): ``key`` is ``USER``, ``secret`` is
``PASSWORD``, and each other named parameter an ``EXTRA_PARAMS`` key, with
its default.  Only signatures are read, never source.
"""

import dataclasses
import inspect
import re
from typing import Any

#: Farm-entry keys a field may name; any other name is in ``EXTRA_PARAMS``.
ENTRY_FIELDS = ('USER', 'PASSWORD')

#: The value types a field may declare, with the Python types they accept.
TYPES = {
    'string': (str,),
    'integer': (int,),
    'number': (int, float),
    'boolean': (bool,),
    'list': (list, tuple),
    'object': (dict,),
    'any': (object,),
}

#: What the placeholder of a secret value reads.
MASK = '******'

#: Parameter names whose values are secrets, whatever the driver says.
_SECRET_NAME = re.compile(r'secret|password|passwd|token|api_?key|private')


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of a farm entry.

    :param name: ``USER``, ``PASSWORD``, or a key of ``EXTRA_PARAMS``.
    :param type: one of :data:`TYPES`.
    :param required: the entry is refused without it.
    :param secret: its value is never shown (masked in descriptions).
    :param default: the value used when the entry does not give one.
    :param help: one line for the configuration reference.
    :param fills_in: whether a missing value is given ``default`` before
        the driver sees the entry (``False``: the default is the library's
        own, documented only).
    """

    name: str
    type: str = 'string'
    required: bool = False
    secret: bool = False
    default: Any = None
    help: str = ''
    fills_in: bool = True

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(
                'field %s: type must be one of %s, not %r'
                % (self.name, ', '.join(TYPES), self.type)
            )

    @property
    def in_extra(self):
        """Whether the field is a key of ``EXTRA_PARAMS``."""
        return self.name not in ENTRY_FIELDS

    @property
    def path(self):
        """How messages name the field: ``USER``, ``EXTRA_PARAMS.region``."""
        return 'EXTRA_PARAMS.' + self.name if self.in_extra else self.name

    def accepts(self, value):
        """Whether ``value`` is of the field's type (``bool`` is no
        number)."""
        if self.type in ('integer', 'number') and isinstance(value, bool):
            return False
        return isinstance(value, TYPES[self.type])

    def describe(self):
        """The field as ``GET /v1/providers/<label>`` shows it."""
        return {
            'name': self.name,
            'path': self.path,
            'type': self.type,
            'required': self.required,
            'secret': self.secret,
            'default': None if self.secret else _json_safe(self.default),
            'help': self.help,
        }


#: Keyword arguments libcloud's base driver reads for every provider.
#: ``timeout`` is not among them: the service sets it from ``TIMEOUT``.
CONNECTION_FIELDS = (
    Field('proxy_url', help='HTTP proxy for the provider API'),
    Field(
        'retry_delay',
        'number',
        help='seconds libcloud waits before retrying a failed connection',
    ),
    Field(
        'backoff', 'number', help="libcloud's backoff factor between retries"
    ),
)


def _json_safe(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return str(value)


def _type_of(default):
    for name in ('boolean', 'integer', 'number', 'string', 'list', 'object'):
        if isinstance(default, TYPES[name]) and (
            name not in ('integer', 'number') or not isinstance(default, bool)
        ):
            return name
    return 'any'


#: Constructor parameters that are not the operator's to set.
_NOT_SETTINGS = {'self', 'key', 'secret', 'timeout', 'creds'}


def from_libcloud(driver_class, ignore=()):
    """Fields of the constructors of a libcloud ``NodeDriver`` class.

    ``key`` is ``USER`` (required when it has no default), ``secret`` is
    ``PASSWORD``, every other named parameter of an ``__init__`` in the
    class's MRO an ``EXTRA_PARAMS`` key with its default, followed by
    :data:`CONNECTION_FIELDS`.  ``ignore`` names parameters to leave out.
    """
    found = {}
    user = password = None
    for klass in inspect.getmro(driver_class):
        init = klass.__dict__.get('__init__')
        if init is None or klass is object:
            continue
        try:
            parameters = inspect.signature(init).parameters
        except (TypeError, ValueError):
            continue
        for name, parameter in parameters.items():
            if parameter.kind in (
                parameter.VAR_POSITIONAL,
                parameter.VAR_KEYWORD,
            ):
                continue
            given = parameter.default is not parameter.empty
            default = parameter.default if given else None
            if name in ('key', 'creds') and user is None:
                user = Field(
                    'USER',
                    required=not given,
                    help='the provider API key (libcloud: %s)' % name,
                )
            elif name == 'secret' and password is None:
                password = Field(
                    'PASSWORD',
                    required=not given,
                    secret=True,
                    help='the provider API secret (libcloud: secret)',
                )
            elif name in _NOT_SETTINGS or name in ignore or name in found:
                continue
            else:
                found[name] = Field(
                    name,
                    _type_of(default) if default is not None else 'any',
                    secret=bool(_SECRET_NAME.search(name)),
                    default=default,
                    fills_in=False,
                    help='%s parameter of %s'
                    % ('a' if given else 'a required', driver_class.__name__),
                )
    fields = [
        user or Field('USER', help='the provider API key'),
        password or Field('PASSWORD', secret=True),
    ]
    fields.extend(found.values())
    fields.extend(f for f in CONNECTION_FIELDS if f.name not in found)
    return tuple(fields)


class Schema(object):
    """The fields of one driver's farm entry.

    :param fields: :class:`Field` objects.
    :param open_extra: accept ``EXTRA_PARAMS`` keys besides the declared
        ones (a driver that declares nothing and whose libcloud class is
        learnt only when it connects).
    """

    def __init__(self, fields, open_extra=False):
        self.fields = tuple(fields)
        self.open_extra = open_extra
        self.by_name = {f.name: f for f in self.fields}

    def describe(self):
        return [f.describe() for f in self.fields]

    def secret_names(self):
        return {f.name for f in self.fields if f.secret}

    def validate(self, entry):
        """``entry`` with declared defaults filled in.

        :raises ValueError: naming the first bad field (``missing
            credential PASSWORD``, ``bad parameter: EXTRA_PARAMS.latency
            must be a number``, unknown keys with the accepted ones); a
            secret's value is never in the message.
        """
        extra = dict(entry.get('EXTRA_PARAMS') or {})
        resolved = dict(entry)
        for field in self.fields:
            value = extra.get(field.name) if field.in_extra else None
            if not field.in_extra:
                value = entry.get(field.name)
            if value in (None, ''):
                if field.required and (
                    field.default is None or not field.fills_in
                ):
                    raise ValueError(
                        '%s %s%s'
                        % (
                            'missing credential'
                            if not field.in_extra
                            else 'bad parameter: missing',
                            field.path,
                            ' (%s)' % field.help if field.help else '',
                        )
                    )
                if field.default is not None and field.fills_in:
                    if field.in_extra:
                        extra[field.name] = field.default
                    else:
                        resolved[field.name] = field.default
                continue
            if not field.accepts(value):
                raise ValueError(
                    'bad parameter: %s must be %s %s, not %s'
                    % (
                        field.path,
                        'an' if field.type[0] in 'aeiou' else 'a',
                        field.type,
                        MASK if field.secret else repr(value),
                    )
                )
        if not self.open_extra:
            accepted = {f.name for f in self.fields if f.in_extra}
            unknown = sorted(set(extra) - accepted)
            if unknown:
                raise ValueError(
                    'bad parameter: EXTRA_PARAMS key(s) %s not accepted; '
                    'accepted: %s'
                    % (
                        ', '.join(unknown),
                        ', '.join(sorted(accepted)) or 'none',
                    )
                )
        if extra or 'EXTRA_PARAMS' in entry:
            resolved['EXTRA_PARAMS'] = extra
        return resolved

    def secret_values(self, entry):
        """The values of the entry's secret fields, as strings."""
        extra = entry.get('EXTRA_PARAMS')
        extra = extra if isinstance(extra, dict) else {}
        found = []
        for field in self.fields:
            if field.secret:
                source = extra if field.in_extra else entry
                value = source.get(field.name)
                if value not in (None, ''):
                    found.append(str(value))
        return tuple(found)

    def masked(self, entry):
        """A copy of ``entry`` fit to show: secret values replaced by
        :data:`MASK`."""
        secrets = self.secret_names() | {'PASSWORD'}
        shown = {}
        for key, value in sorted(entry.items()):
            if key == 'EXTRA_PARAMS' and isinstance(value, dict):
                shown[key] = {
                    k: (MASK if k in secrets or _SECRET_NAME.search(k) else v)
                    for k, v in value.items()
                }
            elif key in secrets:
                shown[key] = MASK
            else:
                shown[key] = value
        return shown
