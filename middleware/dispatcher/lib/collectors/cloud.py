"""The built-in collector: any cloud of the farm, through its driver.

It lists each kind the cloud's driver can list, all at once on the cloud's
own threads (so the cloud's concurrency cap, call budget and circuit
breaker hold), and applies the service's own changes as they are made.
"""

from dispatcher import errors
from dispatcher.lib.cloud_factory.drivers import GenericDriver
from dispatcher.lib.collectors import (
    CATALOGUE,
    KINDS,
    BaseCollector,
    Model,
    NotificationEndpoint,
    Option,
)

#: The driver operation that lists each kind.
LISTINGS = {
    'nodes': GenericDriver.list_nodes,
    'images': GenericDriver.list_images,
    'sizes': GenericDriver.list_sizes,
    'locations': GenericDriver.list_locations,
    'key_pairs': GenericDriver.list_key_pairs,
    'volumes': GenericDriver.list_volumes,
}


class ChangesMadeHere(NotificationEndpoint):
    """The service's own creates, actions and deletes: the item as the
    provider answered goes into the model at once, and the kind is synced
    often for a while, until the provider has finished the change."""

    event_types = r'.*'

    def info(self, store, event):
        if event.item is not None:
            store.put(event.kind, event.item)
        if event.type == 'deleted' and event.key is not None:
            store.deleting(event.kind, event.key)
        store.expect_changes(event.kind)


class CloudCollector(BaseCollector):
    """Models a cloud from its driver's list operations."""

    @classmethod
    def get_config_opts(cls):
        return super(CloudCollector, cls).get_config_opts() + [
            Option(
                'catalogue_period',
                float,
                600.0,
                'seconds between two syncs of images, sizes and locations',
                minimum=1,
            ),
        ]

    @property
    def kinds(self):
        # Worked out again only when the cloud's operations change (its
        # driver's first connection may tell them).
        operations = tuple(self.cloud.operations())
        known = self.__dict__.get('_kinds')
        if known is not None and known[0] == operations:
            return known[1]
        kinds = tuple(
            kind for kind in KINDS if LISTINGS[kind].__name__ in operations
        )
        self._kinds = (operations, kinds)
        return kinds

    def period(self, kind):
        if kind in CATALOGUE:
            return self.config['catalogue_period']
        return self.config['period']

    def execute(self, kinds=None):
        model = Model()
        calls = []
        for kind in kinds or self.kinds:
            try:
                calls.append((kind, self.cloud.submit(LISTINGS[kind])))
            except errors.MiddlewareError as exc:
                model.fail(kind, exc)
        for kind, call in calls:
            try:
                model.add(kind, call.result())
            except errors.MiddlewareError as exc:
                model.fail(kind, exc)
        return model

    @property
    def notification_endpoints(self):
        return [ChangesMadeHere(self)]
