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

    :param cloud_name: the farm name.
    :query limit: page size.
    :query marker: the ``name`` to start after.
    :query name: only this key pair.
    :>json array key_pairs: ``name``, ``fingerprint``, ``public_key``,
        ``cloud``.
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 404: no such cloud.
    :status 501: the cloud cannot list key pairs.
    """
    return list_answer('key_pairs',
                       resources.list_key_pairs(cloud(cloud_name)),
                       key=lambda k: k['name'])


@bp.route('', methods=['POST'])
def create_key_pair(cloud_name):
    """Create a key pair, or import one with ``public_key``.

    A created key pair's ``private_key`` is in this answer only: the service
    does not keep it.

    :param cloud_name: the farm name.
    :<json string name: the key pair's name.
    :<json string public_key: an OpenSSH public key to import (optional).
    :>json object key_pair: ``name``, ``fingerprint``, ``public_key`` and,
        when created, ``private_key``.
    :resheader Location: the key pair's URL.
    :status 201: created or imported.
    :status 400: a field is missing or invalid.
    :status 404: no such cloud.
    :status 409: a key pair of that name exists.
    :status 501: the cloud cannot create (or import) key pairs.
    """
    spec = json_body(schemas.KEY_PAIR_CREATE)
    key_pair = resources.create_key_pair(cloud(cloud_name), spec)
    return answer({'key_pair': key_pair}, 201, url_for(
        'key_pairs.show_key_pair', cloud_name=cloud_name,
        name=key_pair['name']))


@bp.route('/<name>')
def show_key_pair(cloud_name, name):
    """One key pair (its public part).

    :param cloud_name: the farm name.
    :param name: the key pair's name.
    :>json object key_pair: ``name``, ``fingerprint``, ``public_key``,
        ``cloud``.
    :status 200: the key pair.
    :status 404: no such cloud or key pair.
    :status 501: the cloud cannot list key pairs.
    """
    return answer({'key_pair': resources.get_key_pair(cloud(cloud_name),
                                                      name)})


@bp.route('/<name>', methods=['DELETE'])
def delete_key_pair(cloud_name, name):
    """Delete a key pair.

    :param cloud_name: the farm name.
    :param name: the key pair's name.
    :status 204: deleted.
    :status 404: no such cloud or key pair.
    :status 501: the cloud cannot delete key pairs.
    """
    resources.delete_key_pair(cloud(cloud_name), name)
    return '', 204
