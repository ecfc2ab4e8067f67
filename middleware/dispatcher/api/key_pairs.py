"""Key pairs of one cloud."""

from flask import Blueprint, url_for

from dispatcher.api import schemas
from dispatcher.api.common import answer, cloud, json_body, list_answer
from dispatcher.services import resources

bp = Blueprint('key_pairs', __name__,
               url_prefix='/v1/clouds/<cloud_name>/key_pairs')


@bp.route('')
def list_key_pairs(cloud_name):
    """The key pairs of a cloud (public parts only).

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/key_pairs HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"key_pairs": [{"name": "ops", "cloud": "default",
                        "fingerprint": "SHA256:gwRm/Nap9TOCrMo+O+kw6rBDNvP/EcivkOVGhiTmC+M",
                        "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDglkmglME6mfZiYFGQFNotwutxyxzKTO5dCeGWN8OHK ops"}],
         "next_marker": null}

    :param cloud_name: the farm name.
    :query integer limit: page size (default 100).
    :query string marker: the ``name`` after which the page starts.
    :query string name: only this key pair.
    :resjson array key_pairs: ``name``, ``fingerprint``, ``public_key``,
        ``cloud``.
    :resjson string|null next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit`` or ``marker`` (``field`` names it).
    :status 404: no cloud of that name (``cloud_not_found``).
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    return list_answer('key_pairs',
                       resources.list_key_pairs(cloud(cloud_name)),
                       key=lambda k: k['name'])


@bp.route('', methods=['POST'])
def create_key_pair(cloud_name):
    """Create a key pair, or import one with ``public_key``.

    A created key pair's ``private_key`` is in this answer only: the service
    does not keep it.

    **Example request**:

    .. sourcecode:: http

        POST /v1/clouds/default/key_pairs HTTP/1.1
        Content-Type: application/json

        {"name": "ops"}

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 201 Created
        Content-Type: application/json
        Location: /v1/clouds/default/key_pairs/ops

        {"key_pair": {"name": "ops", "cloud": "default",
                      "fingerprint": "SHA256:gwRm/Nap9TOCrMo+O+kw6rBDNvP/EcivkOVGhiTmC+M",
                      "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDglkmglME6mfZiYFGQFNotwutxyxzKTO5dCeGWN8OHK ops",
                      "private_key": "-----BEGIN OPENSSH PRIVATE KEY----- (...) -----END OPENSSH PRIVATE KEY-----"}}

    :param cloud_name: the farm name.
    :reqjson string name: the key pair's name.
    :reqjson string public_key: an OpenSSH public key to import (optional).
    :resjson object key_pair: ``name``, ``fingerprint``, ``public_key``,
        ``cloud`` and, when created, ``private_key``.
    :resheader Location: the key pair's URL.
    :status 201: created or imported.
    :status 400: a field is missing or invalid (``field`` names it).
    :status 404: no cloud of that name (``cloud_not_found``).
    :status 409: a key pair of that name exists.
    :status 413: the body is too large.
    :status 415: the body is not JSON.
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    spec = json_body(schemas.KEY_PAIR_CREATE)
    key_pair = resources.create_key_pair(cloud(cloud_name), spec)
    return answer({'key_pair': key_pair}, 201, url_for(
        'key_pairs.show_key_pair', cloud_name=cloud_name,
        name=key_pair['name']))


@bp.route('/<name>')
def show_key_pair(cloud_name, name):
    """One key pair (its public part).

    **Example request**:

    .. sourcecode:: http

        GET /v1/clouds/default/key_pairs/ops HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: application/json

        {"key_pair": {"name": "ops", "cloud": "default",
                      "fingerprint": "SHA256:gwRm/Nap9TOCrMo+O+kw6rBDNvP/EcivkOVGhiTmC+M",
                      "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDglkmglME6mfZiYFGQFNotwutxyxzKTO5dCeGWN8OHK ops"}}

    :param cloud_name: the farm name.
    :param name: the key pair's name.
    :resjson object key_pair: ``name``, ``fingerprint``, ``public_key``,
        ``cloud``.
    :status 200: the key pair.
    :status 404: no such cloud or key pair (``key_pair_not_found``).
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    return answer({'key_pair': resources.get_key_pair(cloud(cloud_name),
                                                      name)})


@bp.route('/<name>', methods=['DELETE'])
def delete_key_pair(cloud_name, name):
    """Delete a key pair.

    **Example request**:

    .. sourcecode:: http

        DELETE /v1/clouds/default/key_pairs/ops HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 204 No Content

    :param cloud_name: the farm name.
    :param name: the key pair's name.
    :status 204: deleted.
    :status 404: no such cloud or key pair (``key_pair_not_found``).
    :status 429: the provider throttles (``Retry-After`` says when to retry).
    :status 501: the cloud's driver cannot do this (``not_supported``).
    :status 502: the provider failed or refused the farm's credentials.
    :status 503: the cloud is unreachable or its farm entry is broken.
    :status 504: the provider did not answer within the cloud's timeout.
    """
    resources.delete_key_pair(cloud(cloud_name), name)
    return '', 204
