"""API tokens: create, list, show, revoke, and check a presented value.

Tokens live in the database (:class:`~dispatcher.storage.auth_models
.ApiToken`) as digests; a value is returned once, by :func:`create_token`.
A token may be limited to some clouds and may expire.  An admin limited to
some clouds manages only tokens within its own clouds, so no token can
give more than its creator has.
"""

import datetime

from sqlalchemy import func, select, text

from dispatcher import errors
from dispatcher.policy import token_values as values
from dispatcher.policy.principal import SERVICE, Principal
from dispatcher.storage.auth_models import ROLES, ApiToken
from dispatcher.storage.types import isoformat, utcnow

#: PostgreSQL advisory lock held while the first token is created.
FIRST_TOKEN_LOCK = 7061727


#: Whether a token is accepted.
STATUSES = ('active', 'expired', 'revoked')

#: The longest life a token may be given, in seconds.
MAX_EXPIRES_IN = 10 * 365 * 24 * 3600


def status(token, now=None):
    """``active``, ``expired`` or ``revoked``."""
    now = now or utcnow()
    if token.revoked_at is not None:
        return 'revoked'
    if token.expires_at is not None and token.expires_at <= now:
        return 'expired'
    return 'active'


def describe(token):
    """A token as the API shows it: never its value or digest."""
    return {
        'id': token.id,
        'name': token.name,
        'role': token.role,
        'clouds': None if token.clouds is None else list(token.clouds),
        'prefix': token.prefix,
        'status': status(token),
        'created_by': token.created_by,
        'created_at': isoformat(token.created_at),
        'expires_at': isoformat(token.expires_at),
        'revoked_at': isoformat(token.revoked_at),
    }


def _check_scope(clouds, creator, known_clouds):
    if clouds is not None:
        unknown = (
            sorted(set(clouds) - set(known_clouds))
            if known_clouds is not None
            else []
        )
        if unknown:
            raise errors.BadRequest(
                'clouds names unknown cloud(s): %s' % ', '.join(unknown),
                field='clouds',
                code='invalid_field',
            )
        clouds = sorted(set(clouds))
    if not creator.covers(clouds):
        raise errors.BadRequest(
            "clouds must be given and be among this token's own clouds "
            '(%s)' % ', '.join(sorted(creator.clouds)),
            field='clouds',
            code='invalid_field',
        )
    return clouds


def _new_token(role, clouds, name, expires_in, created_by):
    if role not in ROLES:
        raise errors.BadRequest(
            'role must be one of %s' % ', '.join(ROLES),
            field='role',
            code='invalid_field',
        )
    if expires_in is not None and expires_in <= 0:
        raise errors.BadRequest(
            'expires_in must be a positive number of seconds',
            field='expires_in',
            code='invalid_field',
        )
    value = values.generate()
    now = utcnow()
    token = ApiToken(
        name=name,
        role=role,
        clouds=clouds,
        prefix=values.prefix(value),
        digest=values.digest(value),
        created_by=created_by,
        created_at=now,
        expires_at=(
            now + datetime.timedelta(seconds=expires_in)
            if expires_in is not None
            else None
        ),
    )
    return token, value


def create_token(
    database,
    role,
    clouds=None,
    name=None,
    expires_in=None,
    creator=SERVICE,
    known_clouds=None,
):
    """A new token; returns ``(description, value)``.

    :param clouds: cloud names it may see (``None``: every cloud).
    :param expires_in: seconds it stays valid (``None``: until revoked).
    :param creator: the :class:`~dispatcher.policy.principal.Principal` asking:
        the new token's clouds must be within its own.
    :param known_clouds: the cloud names that exist for ``creator``;
        ``clouds`` naming another is a 400.
    """
    clouds = _check_scope(clouds, creator, known_clouds)
    token, value = _new_token(
        role, clouds, name, expires_in, creator.token_id or creator.name
    )
    with database.session(write=True) as session:
        session.add(token)
    return describe(token), value


def create_first_token(database, name='first-run admin'):
    """An admin token if the database holds no token at all, else ``None``.

    Several processes starting together (gunicorn workers) agree through
    the database: the check and the insert happen under its write lock, so
    exactly one of them creates the token.  Returns ``(description,
    value)`` in that one.
    """
    with database.session(write=True) as session:
        if database.url.get_backend_name() == 'postgresql':
            session.execute(
                text('SELECT pg_advisory_xact_lock(%d)' % FIRST_TOKEN_LOCK)
            )
        if session.scalar(select(func.count()).select_from(ApiToken)):
            return None
        token, value = _new_token('admin', None, name, None, 'first-run')
        session.add(token)
    return describe(token), value


def _visible(token, viewer):
    return viewer.covers(token.clouds)


def list_tokens(database, viewer=SERVICE):
    """Every token ``viewer`` may manage, oldest first."""
    with database.session() as session:
        rows = session.scalars(select(ApiToken).order_by(ApiToken.seq)).all()
    return [describe(t) for t in rows if _visible(t, viewer)]


def _find(session, token_id, viewer):
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == str(token_id))
    )
    if token is None or not _visible(token, viewer):
        raise errors.NotFound(
            'token %r not found' % token_id, code='token_not_found'
        )
    return token


def get_token(database, token_id, viewer=SERVICE):
    """One token; 404 ``token_not_found`` if ``viewer`` may not see it."""
    with database.session() as session:
        return describe(_find(session, token_id, viewer))


def revoke_token(database, token_id, viewer=SERVICE):
    """Revoke a token at once (revoking it again changes nothing)."""
    with database.session(write=True) as session:
        token = _find(session, token_id, viewer)
        if token.revoked_at is None:
            token.revoked_at = utcnow()
        return describe(token)


def authenticate(database, value, cache=None):
    """The :class:`~dispatcher.policy.principal.Principal` of a token.

    :param cache: a :class:`~dispatcher.storage.changes.VersionedCache` of
        the tokens found active since the database last changed (a token
        revoked anywhere is a change); an expired one is not served from
        it.
    :raises Unauthorized: no value, or one that is unknown, expired or
        revoked.
    """
    value = (value or '').strip()
    if not value:
        raise errors.Unauthorized(
            'a token is required: send it in the X-Auth-Token header'
        )
    well_formed = values.is_well_formed(value)
    version = database.version() if cache is not None and well_formed else None
    if version is not None:
        cached = cache.get(version, values.digest(value))
        if cached is not None:
            principal, expires_at = cached
            if expires_at is None or expires_at > utcnow():
                return principal
    found = None
    if well_formed:
        with database.session() as session:
            candidates = session.scalars(
                select(ApiToken).where(ApiToken.prefix == values.prefix(value))
            ).all()
        for candidate in candidates:
            if values.matches(value, candidate.digest):
                found = candidate
    if found is None:
        raise errors.Unauthorized('the token is not valid')
    state = status(found)
    if state != 'active':
        raise errors.Unauthorized('the token is %s' % state)
    principal = Principal(found.id, found.name, found.role, found.clouds)
    if version is not None:
        cache.put(version, found.digest, (principal, found.expires_at))
    return principal
