"""The farm's clouds and the cloud factory's provider labels."""

from marshmallow import Schema, fields, validate

from dispatcher.api.schemas.common import (
    ErrorDetail,
    NamedPageQuery,
    answer_of,
    page_of,
)
from dispatcher.services.schema_fields import Strict


def _operations(description):
    return fields.List(
        fields.String(), required=True, metadata={'description': description}
    )


class CredentialCheck(Schema):
    """The outcome of a live log-in (``?check=true``)."""

    ok = fields.Boolean(required=True)
    error = fields.Nested(
        ErrorDetail,
        metadata={
            'description': 'why the cloud refused or failed, when it did'
        },
    )


class CloudHealth(Schema):
    """How the cloud has answered lately, and its circuit."""

    status = fields.String(
        required=True,
        validate=validate.OneOf(['ok', 'degraded', 'open']),
        metadata={
            'description': 'ok; degraded: recent calls failed; open: calls '
            'are refused until a probe succeeds'
        },
    )
    circuit = fields.String(
        required=True, validate=validate.OneOf(['closed', 'open', 'half_open'])
    )
    error_rate = fields.Float(
        required=True,
        metadata={'description': 'share of the recent calls that failed'},
    )
    recent_calls = fields.Integer(
        required=True, metadata={'description': 'how many calls that is'}
    )
    last_error = fields.Nested(
        ErrorDetail,
        required=True,
        allow_none=True,
        metadata={'description': 'the last failure (no answer, or 5xx)'},
    )
    next_probe_at = fields.String(
        required=True,
        allow_none=True,
        metadata={'description': 'when an open circuit probes the cloud'},
    )


class Cloud(Schema):
    """A cloud of the farm: never a credential."""

    name = fields.String(
        required=True, metadata={'description': 'its farm name'}
    )
    provider = fields.String(
        required=True, metadata={'description': 'its provider label'}
    )
    status = fields.String(
        required=True, validate=validate.OneOf(['available', 'unavailable'])
    )
    reason = fields.String(
        required=True,
        allow_none=True,
        metadata={'description': 'why it is unavailable'},
    )
    capabilities = _operations('the operations its driver implements')
    timeout = fields.Float(
        required=True,
        metadata={'description': 'seconds a provider call may take'},
    )
    max_concurrency = fields.Integer(
        required=True, metadata={'description': 'provider calls at once'}
    )
    calls_per_second = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            'description': 'its call budget per process (null: no rate)'
        },
    )
    health = fields.Nested(CloudHealth, required=True)
    default = fields.Boolean(
        required=True,
        metadata={
            'description': 'whether it is the cloud used when none is named'
        },
    )
    check = fields.Nested(
        CredentialCheck, metadata={'description': 'only with ``?check=true``'}
    )


class CloudQuery(NamedPageQuery):
    """Clouds filtered by name and status."""

    status = fields.String(
        validate=validate.OneOf(['available', 'unavailable'])
    )


class CloudShowQuery(Strict):
    """``check``: prove the credentials with a live call."""

    check = fields.Boolean(
        metadata={'description': 'log in to the provider now (one live call)'}
    )


CloudPage = page_of(Cloud, 'clouds', 'CloudPage', 'the clouds')
CloudAnswer = answer_of(Cloud, 'cloud', 'CloudAnswer', 'the cloud')


class Provider(Schema):
    """A provider label of the cloud factory."""

    label = fields.String(required=True)
    name = fields.String(
        required=True,
        metadata={'description': 'the label again (the key of pages)'},
    )
    driver = fields.String(
        required=True,
        metadata={'description': 'the driver class, ``module:Class``'},
    )
    source = fields.String(
        required=True,
        validate=validate.OneOf(['builtin', 'libcloud', 'plugin']),
    )
    available = fields.Boolean(required=True)
    capabilities = _operations('the operations its driver implements')
    capabilities_known = fields.Boolean(
        required=True,
        metadata={
            'description': 'false for a driver that names no libcloud '
            'class, until a cloud using it has connected'
        },
    )
    conflicts = fields.List(
        fields.String(),
        required=True,
        metadata={
            'description': 'plugins (``module:Class``) refused because '
            'they claimed this label too'
        },
    )
    reason = fields.String(
        metadata={'description': 'why its driver cannot be loaded'}
    )


class ConfigurationField(Schema):
    """A field of a farm entry, as the label's driver declares it."""

    name = fields.String(
        required=True,
        metadata={'description': '``USER``, ``PASSWORD`` or a parameter'},
    )
    path = fields.String(
        required=True,
        metadata={
            'description': 'where it goes in the entry '
            '(``EXTRA_PARAMS.region``)'
        },
    )
    type = fields.String(
        required=True,
        validate=validate.OneOf(
            ['string', 'integer', 'number', 'boolean', 'list', 'object', 'any']
        ),
    )
    required = fields.Boolean(required=True)
    secret = fields.Boolean(
        required=True,
        metadata={'description': 'never shown; masked in descriptions'},
    )
    default = fields.Raw(
        required=True,
        allow_none=True,
        metadata={'description': 'used when the entry gives none'},
    )
    help = fields.String(required=True)


class ProviderDetail(Provider):
    """A provider label with the fields of its farm entry."""

    configuration = fields.List(
        fields.Nested(ConfigurationField),
        required=True,
        metadata={'description': 'the fields of a farm entry of this label'},
    )
    open_extra_params = fields.Boolean(
        required=True,
        metadata={
            'description': 'whether ``EXTRA_PARAMS`` takes keys besides '
            'the fields (a driver that declares none)'
        },
    )


ProviderPage = page_of(
    Provider, 'providers', 'ProviderPage', 'the provider labels'
)
ProviderAnswer = answer_of(
    ProviderDetail, 'provider', 'ProviderAnswer', 'the provider label'
)
