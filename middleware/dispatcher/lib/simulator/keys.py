"""SSH key helpers of the simulated cloud: real keys, via ``cryptography``."""

import base64
import hashlib

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519


def generate_ed25519(comment):
    """Return ``(private_key, public_key)``, both OpenSSH-format strings."""
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    ).decode('ascii')
    public = (
        key.public_key()
        .public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        .decode('ascii')
    )
    return private, '%s %s' % (public, comment)


def parse_public_key(material):
    """Return ``material`` normalised, or raise ``ValueError``.

    Accepts one OpenSSH public key line (``type base64 [comment]``).
    """
    if isinstance(material, bytes):
        material = material.decode('utf-8', 'replace')
    if not isinstance(material, str):
        raise ValueError('key material must be a string')
    material = material.strip()
    if not material or '\n' in material or '\r' in material:
        raise ValueError('expected one OpenSSH public key line')
    try:
        serialization.load_ssh_public_key(material.encode('utf-8'))
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise ValueError(str(exc))
    return material


def key_type(public_key):
    """Return the key type of an OpenSSH public key line, e.g. ssh-ed25519."""
    return public_key.split()[0]


def fingerprint(public_key):
    """Return the OpenSSH SHA256 fingerprint of a public key line."""
    blob = base64.b64decode(public_key.split()[1])
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode('ascii')
    return 'SHA256:' + digest.rstrip('=')
