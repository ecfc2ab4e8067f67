"""The farm as the API shows it, and live credential checks."""

from dispatcher import errors


def describe(cloud, check=False):
    """A cloud's public description; with ``check``, a live log-in."""
    body = dict(cloud.describe(), default=cloud.name == 'default')
    if check:
        try:
            cloud.check()
            body['check'] = {'ok': True}
        except errors.MiddlewareError as exc:
            body['check'] = {'ok': False, 'error': exc.to_dict()}
    return body


def describe_all(farm):
    return [describe(cloud) for cloud in farm]
