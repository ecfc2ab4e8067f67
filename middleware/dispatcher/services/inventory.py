"""Every cloud at once: the cross-cloud node listing.

Each cloud is asked in parallel on its own worker threads; a cloud that
fails (or is not configured correctly, or times out) is reported beside the
results and never fails the whole answer.
"""

from dispatcher import errors
from dispatcher.lib.cloud_factory.drivers import GenericDriver


def all_nodes(farm, clouds=None):
    """``(nodes, failures)`` over the farm (or the named ``clouds``).

    ``failures`` is a list of error objects, one per failing cloud.
    """
    wanted = [farm.get(name) for name in clouds] if clouds else list(farm)
    calls, failures = [], []
    for cloud in wanted:
        try:
            calls.append(cloud.submit(GenericDriver.list_nodes))
        except errors.MiddlewareError as exc:
            failures.append(exc.to_dict())
    nodes = []
    for call in calls:
        try:
            nodes.extend(call.result())
        except errors.MiddlewareError as exc:
            failures.append(exc.to_dict())
    return nodes, failures
