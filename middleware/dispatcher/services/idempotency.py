"""``Idempotency-Key``: a retried request gets the first answer again.

The first answer to a request carrying a key is stored with a fingerprint
of the request; the same key with the same request returns that answer
instead of doing the work twice, and with a different request is a 409.
"""

import hashlib
import json

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from dispatcher import errors
from dispatcher.storage.models import IdempotencyKey
from dispatcher.storage.types import utcnow

HEADER = 'Idempotency-Key'
MAX_LENGTH = 255


def check_key(key):
    """``key`` if usable (printable ASCII, at most 255 characters)."""
    if key is None:
        return None
    if (
        not key
        or len(key) > MAX_LENGTH
        or not all(32 < ord(c) < 127 for c in key)
    ):
        raise errors.BadRequest(
            '%s must be 1 to %d printable characters without spaces'
            % (HEADER, MAX_LENGTH),
            field=HEADER,
            code='invalid_field',
        )
    return key


def fingerprint(*parts):
    """A digest of the request's parts (canonical JSON)."""
    text = json.dumps(parts, sort_keys=True, separators=(',', ':'))
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def replay(session, scope, key, digest):
    """``(status, body)`` stored for ``key``, or ``None`` if it is new.

    :raises Conflict: the key was used for a different request.
    """
    stored = session.scalars(
        select(IdempotencyKey).where(
            IdempotencyKey.scope == scope, IdempotencyKey.key == key
        )
    ).first()
    if stored is None:
        return None
    if stored.fingerprint != digest:
        raise errors.Conflict(
            'this %s was used for a different request' % HEADER,
            field=HEADER,
            code='idempotency_key_reused',
        )
    return stored.status, stored.body


def remember(session, scope, key, digest, status, body):
    """Store the first answer to ``key`` (in the caller's transaction)."""
    session.add(
        IdempotencyKey(
            scope=scope,
            key=key,
            fingerprint=digest,
            status=status,
            body=body,
            created_at=utcnow(),
        )
    )


#: The status of a key whose first request is still being carried out.
IN_PROGRESS = 0


def once(database, scope, key, digest, make, document, restore):
    """``make()``'s answer, made once for ``key``.

    A retry with the same key and request gets the first answer again
    (stored as ``document(answer)``, given back as ``restore(document)``);
    one sent while the first is still
    being carried out is a 409 (``idempotency_key_in_use``), so that
    parallel retries never make the resource twice.  When ``make`` fails,
    the key is forgotten and may be tried again.  Without a key, ``make()``.
    """
    key = check_key(key)
    if not key:
        return make()
    try:
        with database.session(write=True) as session:
            stored = replay(session, scope, key, digest)
            if stored is None:
                remember(session, scope, key, digest, IN_PROGRESS, {})
    except IntegrityError:
        with database.session() as session:
            stored = replay(session, scope, key, digest)
    if stored is not None:
        status, body = stored
        if status == IN_PROGRESS:
            raise errors.Conflict(
                'a request with this %s is being carried out; retry in a '
                'moment for its answer' % HEADER,
                field=HEADER,
                code='idempotency_key_in_use',
            )
        return restore(body)
    try:
        answer = make()
    except BaseException:
        with database.session(write=True) as session:
            session.execute(
                delete(IdempotencyKey).where(
                    IdempotencyKey.scope == scope, IdempotencyKey.key == key
                )
            )
        raise
    with database.session(write=True) as session:
        session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
            .values(status=DONE, body=document(answer))
        )
    return answer


#: The status of a key whose first request has its answer stored.
DONE = 200
