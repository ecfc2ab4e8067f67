"""mimic 2.2.0, Rackspace's mock of its cloud: OpenStack and Rackspace.

Identity is Keystone v2.0 at ``/identity/``.  mimic's clock moves only when
told (:meth:`MimicServer.tick`), so tests are deterministic.  Each user
name gets a tenant of its own on first log-in, with its own servers and
key pairs: :meth:`MimicServer.account` hands out a fresh one per test.
"""

import itertools

import requests

from tests.backends import mimic_venv
from tests.backends.emulators import EmulatorUnavailable
from tests.backends.processes import ServerProcess

PASSWORD = 'mw-test-password'
REGION = 'ORD'
#: mimic's catalogue has two compute services; this one is Nova's API.
SERVICE_NAME = 'cloudServersOpenStack'

_accounts = itertools.count(1)


class MimicServer(ServerProcess):
    """``twistd -n mimic`` from mimic's own environment, on a free port."""

    def __init__(self):
        try:
            program = mimic_venv.ensure_venv()
        except (mimic_venv.VenvError, OSError) as exc:
            raise EmulatorUnavailable(
                'its environment %s cannot be built: %s'
                % (mimic_venv.venv_dir(), exc)
            )
        super(MimicServer, self).__init__(
            'mimic',
            [
                program,
                '-n',
                '--pidfile=',
                '--logfile=mimic.log',
                'mimic',
                '--listen',
                'tcp:{port}:interface=127.0.0.1',
            ],
            ready_path='/identity/v2.0',
        )

    @property
    def auth_url(self):
        return self.url + '/identity/'

    def account(self):
        """A fresh ``(user, tenant)``: a tenant with nothing in it yet."""
        number = next(_accounts)
        return 'mw-user-%d' % number, 'mw-tenant-%d' % number

    def tick(self, seconds):
        """Move mimic's clock on (finishes reboots, builds...)."""
        response = requests.post(
            self.url + '/mimic/v1.1/tick', json={'amount': seconds}, timeout=10
        )
        response.raise_for_status()

    def nova_client(self, user, tenant):
        """An independent Nova client (python-novaclient) for an account."""
        from keystoneauth1 import session
        from keystoneauth1.identity import v2
        from novaclient import client

        auth = v2.Password(
            auth_url=self.url + '/identity/v2.0',
            username=user,
            password=PASSWORD,
            tenant_name=tenant,
        )
        return client.Client(
            '2',
            session=session.Session(auth=auth),
            region_name=REGION,
            service_name=SERVICE_NAME,
        )
