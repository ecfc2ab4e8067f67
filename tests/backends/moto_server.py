"""moto's server (``moto[server]``): EC2 and Eucalyptus on 127.0.0.1.

The server loads only moto's small default image catalogue
(``MOTO_AMIS_PATH``): with every region's latest images its first call
after each reset takes seconds.
"""

import gzip
import importlib.util
import json
import os
import sys

import requests

from tests.backends.emulators import EmulatorUnavailable
from tests.backends.processes import ServerProcess

#: Credentials the test farm uses; moto accepts any.
ACCESS_KEY = 'AKIDMWTEST'
SECRET_KEY = 'mw-test-secret-key'
REGION = 'us-east-1'


def _default_images():
    import moto

    path = os.path.join(
        os.path.dirname(moto.__file__), 'ec2', 'resources', 'amis.json.gz'
    )
    with gzip.open(path, 'rt', encoding='utf-8') as handle:
        return json.load(handle)


class MotoServer(ServerProcess):
    """``python -m moto.server`` on a free port."""

    def __init__(self):
        for module in ('moto.server', 'flask_cors'):
            if importlib.util.find_spec(module) is None:
                raise EmulatorUnavailable(
                    "%s cannot be imported (pip install 'moto[server]')"
                    % module
                )
        super(MotoServer, self).__init__(
            'moto',
            [
                sys.executable,
                '-m',
                'moto.server',
                '-H',
                '127.0.0.1',
                '-p',
                '{port}',
            ],
            ready_path='/moto-api/',
        )
        self.images = _default_images()
        images_path = os.path.join(self.workdir.name, 'amis.json')
        with open(images_path, 'w') as handle:
            json.dump(self.images, handle)
        self.env['MOTO_AMIS_PATH'] = images_path

    def reset(self):
        """Forget every instance, key pair and volume."""
        requests.post(self.url + '/moto-api/reset', timeout=10)

    def image_id(self):
        """An image every region of the server has."""
        return self.images[0]['ami_id']

    def boto3_client(self):
        """An independent EC2 client (boto3) on this server."""
        import boto3

        return boto3.client(
            'ec2',
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
