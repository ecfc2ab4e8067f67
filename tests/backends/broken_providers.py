"""Providers that fail on purpose, as real servers on 127.0.0.1.

:class:`SilentServer` accepts connections and never answers (a hung
provider); :class:`FailingProvider` answers every EC2 call, or every Nova
call after a successful Keystone log-in, with HTTP 500.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EC2_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors>'
    '<Error><Code>InternalError</Code><Message>the provider broke '
    'down</Message></Error></Errors><RequestID>r-1</RequestID>'
    '</Response>'
)


class SilentServer(object):
    """Accepts TCP connections on a free port and never says a word."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind(('127.0.0.1', 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        self._held = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self._stopped.is_set():
            try:
                connection, _ = self._socket.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self._held.append(connection)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stopped.set()
        self._thread.join(5)
        self._socket.close()
        for connection in self._held:
            connection.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, format, *args):
        pass

    def _answer(self, status, body, content_type):
        data = body.encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _discard_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        if length:
            self.rfile.read(length)

    def do_GET(self):
        self._discard_body()
        if self.server.flavour == 'ec2':
            self._answer(500, EC2_ERROR, 'text/xml')
        else:
            self._answer(
                500,
                json.dumps(
                    {
                        'computeFault': {
                            'code': 500,
                            'message': 'the provider broke down',
                        }
                    }
                ),
                'application/json',
            )

    do_DELETE = do_GET

    def do_POST(self):
        if self.server.flavour == 'openstack' and self.path.rstrip(
            '/'
        ).endswith('/v2.0/tokens'):
            self._discard_body()
            self._answer(
                200, json.dumps(self.server.token()), 'application/json'
            )
        else:
            self.do_GET()


class FailingProvider(object):
    """An EC2 (``flavour='ec2'``) or OpenStack provider answering 500."""

    def __init__(self, flavour):
        self._server = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
        self._server.daemon_threads = True
        self._server.flavour = flavour
        self._server.token = self._token
        self.port = self._server.server_address[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True
        )

    def _token(self):
        compute = '%s/compute/v2/tenant-1' % self.url
        return {
            'access': {
                'token': {
                    'id': 'token-1',
                    'expires': '2999-01-01T00:00:00Z',
                    'tenant': {'id': 'tenant-1', 'name': 'tenant-1'},
                },
                'user': {'id': 'user-1', 'name': 'user-1', 'roles': []},
                'serviceCatalog': [
                    {
                        'name': 'cloudServersOpenStack',
                        'type': 'compute',
                        'endpoints': [
                            {
                                'region': 'ORD',
                                'tenantId': 'tenant-1',
                                'publicURL': compute,
                            }
                        ],
                    }
                ],
            }
        }

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
