"""The clouds a conformance run serves: the one under test and its peer."""

#: The farm name of the simulated cloud beside the one under test (the
#: cross-cloud listing needs two clouds).
PEER = 'peer'
PEER_ENTRY = {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.0}}


class CloudUnderTest(object):
    """A farm entry and what the checks must know of the cloud behind it.

    :param label: the provider label (the entry's ``ENGINE``).
    :param entry: the farm entry (default: ``{'ENGINE': label}``).
    :param image: image id for new nodes (``None``: the first listed).
    :param size: size id for new nodes (``None``: the first listed).
    :param cloud: its farm name (default: the label).
    """

    def __init__(self, label, entry=None, image=None, size=None, cloud=None):
        self.label = label
        self.cloud = cloud or label
        self.entry = dict(entry or {'ENGINE': label})
        self.image = image
        self.size = size

    def settle(self):
        """Let time pass on the provider between two polls (an emulator
        whose clock moves only when told overrides this)."""

    def __repr__(self):
        return '<CloudUnderTest %s>' % self.label


def peer():
    """The simulated cloud beside the one under test."""
    return CloudUnderTest(
        'simulator',
        PEER_ENTRY,
        image='img-debian-12',
        size='small',
        cloud=PEER,
    )
