"""A collector that keeps only a team's own images.

Public clouds publish thousands of images; most teams boot a handful of
their own.  This collector models a cloud as the built-in one does, except
that it keeps the images whose name starts with its ``image_prefix``
option, and it logs every change the service makes.

Enable it for a farm entry with ``'COLLECTOR': 'own-images'`` and set its
options under its name::

    COLLECTORS = {'own-images': {'image_prefix': 'team-a-', 'period': 120}}
"""

import logging

from dispatcher.lib.collectors import NotificationEndpoint, Option
from dispatcher.lib.collectors.cloud import CloudCollector

LOG = logging.getLogger(__name__)


class ChangeLog(NotificationEndpoint):
    """Logs each node the service creates or deletes."""

    event_types = r'nodes\.(created|deleted)'

    def info(self, store, event):
        LOG.info('cloud %s: node %s %s', event.cloud, event.key, event.type)


class OwnImagesCollector(CloudCollector):
    """The built-in collector, keeping only the images of one prefix."""

    @classmethod
    def get_config_opts(cls):
        return super().get_config_opts() + [
            Option(
                'image_prefix',
                str,
                '',
                'keep only the images whose name starts with this',
            ),
        ]

    def execute(self, kinds=None):
        model = super().execute(kinds)
        if 'images' in model.items:
            prefix = self.config['image_prefix']
            model.add(
                'images',
                [
                    image
                    for image in model.items['images']
                    if (image.name or '').startswith(prefix)
                ],
            )
        return model

    @property
    def notification_endpoints(self):
        return super().notification_endpoints + [ChangeLog(self)]
