"""Token values: generation, digests and constant-time comparison.

A token is ``mwt_`` followed by 43 URL-safe characters from
:func:`secrets.token_urlsafe` (256 random bits).  The value is shown once,
when the token is created; the service keeps only its SHA-256 digest,
which is the right hash for a value of that much entropy (no dictionary to
guess from), and its first :data:`PREFIX_LENGTH` characters, which are not
secret and find the stored token and name it in lists.
"""

import hashlib
import hmac
import re
import secrets

#: What every token value starts with, so that a leaked one is recognisable
#: (secret scanners, log redaction).
TOKEN_PREFIX = 'mwt_'

#: Random bytes of a token value.
TOKEN_BYTES = 32

#: Characters of the value kept in clear: ``mwt_`` and 8 random ones.
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8

#: A token value anywhere in a text (for redaction).
TOKEN_PATTERN = re.compile(re.escape(TOKEN_PREFIX) + r'[A-Za-z0-9_-]{20,}')

_WELL_FORMED = re.compile(
    '^' + re.escape(TOKEN_PREFIX) + r'[A-Za-z0-9_-]{43}$'
)


def generate():
    """A new token value."""
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def digest(value):
    """The SHA-256 digest of a token value, hexadecimal."""
    return hashlib.sha256(value.encode('utf-8')).hexdigest()


def prefix(value):
    """The non-secret beginning of a token value."""
    return value[:PREFIX_LENGTH]


def is_well_formed(value):
    """Whether ``value`` has the shape of a token this service issues."""
    return bool(value) and _WELL_FORMED.match(value) is not None


def matches(value, stored_digest):
    """Whether ``value`` is the token whose digest is ``stored_digest``,
    compared in constant time."""
    return hmac.compare_digest(
        digest(value).encode('ascii'), stored_digest.encode('ascii')
    )


def redact(text):
    """``text`` with every token value replaced by its prefix and ``***``."""
    return TOKEN_PATTERN.sub(lambda m: prefix(m.group(0)) + '***', text)
