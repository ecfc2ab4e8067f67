"""The clouds of the farm."""

from flask import Blueprint, jsonify, request

from dispatcher.api.common import cloud, farm, list_answer
from dispatcher.services import clouds as service

bp = Blueprint('clouds', __name__, url_prefix='/v1/clouds')


@bp.route('')
def list_clouds():
    """The farm's clouds: never a credential.

    A farm entry that is wrong (unknown label, missing credential, bad
    parameter) is listed with ``status: unavailable`` and the ``reason``.

    :query limit: page size (default 100).
    :query marker: the ``name`` after which the page starts.
    :query name: only this cloud.
    :query status: ``available`` or ``unavailable``.
    :>json array clouds: ``name``, ``provider`` (the ``ENGINE`` label),
        ``status``, ``reason``, ``capabilities``, ``timeout``,
        ``max_concurrency``, ``default`` (true for the default cloud).
    :>json string next_marker: marker of the next page, or null.
    :status 200: the list.
    :status 400: bad ``limit`` or ``marker``.
    """
    return list_answer('clouds', service.describe_all(farm()),
                       key=lambda c: c['name'], filters=('name', 'status'))


@bp.route('/<cloud_name>')
def show_cloud(cloud_name):
    """One cloud; ``?check=true`` proves its credentials with a live call.

    :param cloud_name: the farm name.
    :query check: ``true`` to log in to the provider now.
    :>json object cloud: as in the list; with ``check``, ``check`` holds
        ``ok`` (boolean) and, when it failed, the ``error`` object.
    :status 200: the cloud (a failed check is reported in the body).
    :status 404: no cloud of that name.
    """
    check = request.args.get('check', '').lower() in ('1', 'true', 'yes')
    return jsonify({'cloud': service.describe(cloud(cloud_name), check)})
