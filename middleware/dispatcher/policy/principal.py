"""Who is calling: the principal of a request and the clouds it may see.

A token limited to some clouds sees only those: any other cloud does not
exist for it (404 ``cloud_not_found``, the same answer as for a cloud that
is not in the farm).  Work spanning several clouds (stacks, jobs) is
visible only to a principal that may see every one of its clouds.
"""


class Principal(object):
    """The caller: a token's id, name, role and clouds.

    :ivar token_id: the token's id (``None`` when authentication is off).
    :ivar name: the token's name, for the audit trail.
    :ivar role: ``reader``, ``operator`` or ``admin``.
    :ivar clouds: the cloud names it may see; ``None``: every cloud.
    """

    def __init__(self, token_id, name, role, clouds=None):
        self.token_id = token_id
        self.name = name
        self.role = role
        self.clouds = None if clouds is None else frozenset(clouds)

    @property
    def label(self):
        """How the principal is named in records: ``name (id)``."""
        if self.token_id is None:
            return self.name
        return '%s (%s)' % (self.name or 'token', self.token_id)

    @property
    def restricted(self):
        """Whether the principal is limited to some clouds."""
        return self.clouds is not None

    def may_see(self, cloud_name):
        """Whether the cloud ``cloud_name`` exists for this principal."""
        return self.clouds is None or cloud_name in self.clouds

    def may_see_all(self, cloud_names):
        """Whether every one of ``cloud_names`` exists for it."""
        return all(self.may_see(name) for name in cloud_names)

    def covers(self, clouds):
        """Whether a scope of ``clouds`` (``None``: all) is within this
        principal's own."""
        if self.clouds is None:
            return True
        return clouds is not None and set(clouds) <= self.clouds

    def __repr__(self):
        return '<Principal %s %s>' % (self.label, self.role)


#: The principal of requests served with authentication turned off.
ANONYMOUS = Principal(None, 'anonymous', 'admin')

#: The principal of a request no token was checked for: sees no cloud.
NOBODY = Principal(None, 'nobody', 'reader', clouds=())

#: The service itself, outside any request (start-up, background work).
SERVICE = Principal(None, 'service', 'admin')
