"""Provider labels: the names a farm entry's ``ENGINE`` may take.

The labels below have a driver class of their own in the cloud factory.
Every other Apache Libcloud compute provider is accepted by its libcloud name
(``Provider.<NAME>`` in libcloud, lower case, e.g. ``'digitalocean'``) and is
served by :class:`~dispatcher.lib.cloud_factory.drivers.GenericDriver`.
Third-party packages add labels through the ``dispatcher.cloud_drivers``
entry-point group.
"""


class Provider(object):
    """Labels of the drivers this project ships."""

    DUMMY = 'dummy'
    OPENSTACK = 'openstack'
    EUCALYPTUS = 'eucalyptus'
    RACKSPACE = 'rackspace'
    EC2 = 'ec2'
    LIBVIRT = 'libvirt'
    SIMULATOR = 'simulator'
