"""Findings of an adversarial trial, each reproduced and closed.

Every test here failed before its fix: a provider's 429 read as a bad
request, bodies nested deep enough to crash the service or slip past the
audit trail, floats taken for integers, names ending in a newline, a
client's request id logged verbatim, ``OPTIONS`` answered in HTML, state
files any local user could read, and query strings (tokens included) in
request logs.
"""

import logging
import os
import stat

import pytest
from sqlalchemy import text

from dispatcher import storage
from dispatcher.logs import AccessLogFilter

NODE = {'name': 'web-1', 'size': 'small', 'image': 'img-ubuntu-24.04'}
TEMPLATE = {
    'name': 'shop',
    'groups': [
        {
            'name': 'web',
            'cloud': 'sim-b',
            'size': 'small',
            'image': 'img-ubuntu-24.04',
            'count': 1,
        }
    ],
}
DEEP = '[' * 5000 + ']' * 5000
#: Deep, but within what Python's JSON parser takes.
NESTED = '{"name": ' + '[' * 900 + ']' * 900 + '}'


@pytest.fixture
def farm_config(farm_config):
    farm_config['throttled-lookup'] = {
        'ENGINE': 'simulator',
        'EXTRA_PARAMS': {
            'boot_time': 0,
            'fail_with': 'rate_limit',
            'fail_operations': ['get_image'],
            'retry_after': 7,
        },
    }
    return farm_config


def test_a_throttled_image_lookup_is_429_with_retry_after(client):
    response = client.post('/v1/clouds/throttled-lookup/nodes', json=NODE)
    assert response.status_code == 429, response.get_json()
    assert response.get_json()['error']['code'] == 'rate_limited'
    assert response.headers['Retry-After'] == '7'


def _body_routes(client):
    node = client.post('/v1/clouds/sim-b/nodes', json=NODE).get_json()
    volume = client.post(
        '/v1/clouds/sim-b/volumes', json={'name': 'data', 'size': 1}
    ).get_json()
    stack = client.post('/v1/stacks', json=TEMPLATE).get_json()
    return [
        ('POST', '/v1/clouds/sim-b/nodes'),
        ('POST', '/v1/clouds/sim-b/nodes/%s/action' % node['node']['id']),
        ('POST', '/v1/clouds/sim-b/key_pairs'),
        ('POST', '/v1/clouds/sim-b/volumes'),
        (
            'POST',
            '/v1/clouds/sim-b/volumes/%s/attach' % volume['volume']['id'],
        ),
        ('POST', '/v1/tokens'),
        ('POST', '/v1/stacks'),
        ('PATCH', '/v1/stacks/%s' % stack['stack']['id']),
    ]


@pytest.mark.parametrize('body', [DEEP, NESTED])
def test_deeply_nested_bodies_are_400_naming_the_body(client, body):
    for method, path in _body_routes(client):
        response = client.open(
            path, method=method, data=body, content_type='application/json'
        )
        assert response.status_code == 400, (method, path, response.data)
        error = response.get_json()['error']
        assert error['code'] in ('body_too_deep', 'invalid_json'), error
        if error['code'] == 'body_too_deep':
            assert error['field'] == 'body'


def test_a_change_with_a_deep_body_is_audited(app, client):
    node = client.post('/v1/clouds/sim-b/nodes', json=NODE).get_json()['node']
    response = client.delete(
        '/v1/clouds/sim-b/nodes/' + node['id'],
        data=DEEP,
        content_type='application/json',
    )
    assert response.status_code == 202
    events = client.get('/v1/events').get_json()['events']
    deleted = [e for e in events if e['method'] == 'DELETE']
    assert len(deleted) == 1
    assert deleted[0]['status'] == 202
    assert deleted[0]['resource_id'] == node['id']


def test_a_change_the_audit_cannot_record_is_refused(app, client):
    node = client.post('/v1/clouds/sim-b/nodes', json=NODE).get_json()['node']
    with storage.database(app).session(write=True) as session:
        session.execute(text('DROP TABLE audit_events'))
    response = client.delete('/v1/clouds/sim-b/nodes/' + node['id'])
    assert response.status_code == 503
    assert response.get_json()['error']['code'] == 'audit_unavailable'
    shown = client.get('/v1/clouds/sim-b/nodes/' + node['id'])
    assert shown.get_json()['node']['state'] == 'running'


@pytest.mark.parametrize(
    'method, path, body, field',
    [
        ('POST', '/v1/stacks', dict(TEMPLATE, timeout=1.0), 'timeout'),
        (
            'POST',
            '/v1/stacks',
            dict(TEMPLATE, groups=[dict(TEMPLATE['groups'][0], count=2.0)]),
            'groups[0].count',
        ),
        (
            'POST',
            '/v1/clouds/sim-b/volumes',
            {'name': 'data', 'size': 2.0},
            'size',
        ),
        (
            'POST',
            '/v1/clouds/sim-b/volumes',
            {'name': 'd', 'size': True},
            'size',
        ),
        (
            'POST',
            '/v1/tokens',
            {'role': 'reader', 'expires_in': 60.0},
            'expires_in',
        ),
    ],
)
def test_integers_are_integers(client, method, path, body, field):
    response = client.open(path, method=method, json=body)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()['error']['field'] == field


def test_a_scale_count_is_an_integer(client):
    stack = client.post('/v1/stacks', json=TEMPLATE).get_json()['stack']
    response = client.patch(
        '/v1/stacks/' + stack['id'],
        json={'groups': [{'name': 'web', 'count': 1.0}]},
    )
    assert response.status_code in (400, 409)
    if response.status_code == 400:
        assert response.get_json()['error']['field'] == 'groups[0].count'


@pytest.mark.parametrize(
    'path, body, field',
    [
        ('/v1/clouds/sim-b/nodes', dict(NODE, name='web\n'), 'name'),
        ('/v1/clouds/sim-b/nodes', dict(NODE, name='web\x00'), 'name'),
        ('/v1/stacks', dict(TEMPLATE, name='shop\n'), 'name'),
        (
            '/v1/stacks',
            dict(TEMPLATE, groups=[dict(TEMPLATE['groups'][0], name='g\n')]),
            'groups[0].name',
        ),
        ('/v1/clouds/sim-b/key_pairs', {'name': 'k\n'}, 'name'),
    ],
)
def test_names_refuse_control_characters(client, path, body, field):
    response = client.post(path, json=body)
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == field


@pytest.mark.parametrize('limit', ['', ' 1', '1\n', '\u0661', '+1', '1.0'])
def test_limit_takes_ascii_digits_only(client, limit):
    response = client.get('/v1/clouds', query_string={'limit': limit})
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == 'limit'


@pytest.mark.parametrize(
    'given, kept',
    [
        ('0123456789abcdef', True),
        ('4b2675c6-0cb5-41cf-9928-92b55df16ba9', True),
        ('abc-123', False),
        ('mwt_0123456789abcdef0123456789abcdef', False),
        ('a' * 200, False),
    ],
)
def test_a_request_id_is_kept_only_in_a_safe_form(client, given, kept):
    response = client.get('/v1', headers={'X-Request-Id': given})
    assert (response.headers['X-Request-Id'] == given) is kept


def test_options_is_204_with_allow(app, client):
    anonymous = app.test_client().open('/v1/clouds', method='OPTIONS')
    assert anonymous.status_code == 401
    response = client.open('/v1/clouds/default/nodes', method='OPTIONS')
    assert response.status_code == 204
    assert set(response.headers['Allow'].split(', ')) >= {'GET', 'POST'}
    assert response.get_data() == b''
    assert client.open('/no/such/route', method='OPTIONS').status_code == 404


def test_local_state_is_readable_by_its_owner_only(app, client):
    client.post('/v1/clouds/default/nodes', json=NODE)
    folder = app.instance_path
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    found = []
    for root, _, files in os.walk(folder):
        for name in files:
            if name.endswith(('.sqlite', '-wal', '-shm', 'admin-token')):
                path = os.path.join(root, name)
                found.append(name)
                assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert 'mw.sqlite' in found and 'default.sqlite' in found


def _access_record(args, msg='%s - - [%s] %s'):
    return logging.LogRecord(
        'werkzeug', logging.INFO, __file__, 1, msg, args, None
    )


def test_request_lines_are_logged_without_their_query():
    log_filter = AccessLogFilter()
    record = _access_record(
        (
            '127.0.0.1',
            'now',
            '"GET /v1/clouds?token=mwt_secret HTTP/1.1" 401 -',
        )
    )
    log_filter.filter(record)
    assert 'mwt_secret' not in record.getMessage()
    assert '/v1/clouds?[query left out]' in record.getMessage()
    atoms = {
        'r': 'GET /v1/nodes?token=mwt_secret HTTP/1.1',
        'q': 'token=mwt_secret',
        'U': '/v1/nodes',
        's': '401',
    }
    record = _access_record(atoms, '"%(r)s" %(s)s %(q)s')
    log_filter.filter(record)
    assert 'mwt_secret' not in record.getMessage()


def test_failed_authentications_are_throttled_per_address(app_config):
    from dispatcher import close_app, create_app

    application = create_app(dict(app_config, AUTH_FAILURES_PER_MINUTE=3))
    try:
        anonymous = application.test_client()
        answers = [
            anonymous.get('/v1/clouds', headers={'X-Auth-Token': 'wrong'})
            for _ in range(5)
        ]
        assert [a.status_code for a in answers] == [401, 401, 401, 429, 429]
        throttled = answers[-1]
        assert throttled.get_json()['error']['code'] == 'too_many_failures'
        assert int(throttled.headers['Retry-After']) >= 1
        other = application.test_client()
        other.environ_base['REMOTE_ADDR'] = '127.0.0.2'
        assert other.get('/v1/clouds').status_code == 401
    finally:
        close_app(application)


def test_node_creates_honour_an_idempotency_key(app, client):
    import concurrent.futures

    headers = {'Idempotency-Key': 'create-web-1'}

    def create(_):
        return client.post(
            '/v1/clouds/sim-b/nodes', json=NODE, headers=headers
        )

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(create, range(16)))
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {201, 409}, statuses
    made = {
        a.get_json()['node']['id'] for a in answers if a.status_code == 201
    }
    assert len(made) == 1
    busy = [a.get_json()['error'] for a in answers if a.status_code == 409]
    assert all(e['code'] == 'idempotency_key_in_use' for e in busy)
    again = create(None)
    assert again.status_code == 201
    assert again.get_json()['node']['id'] in made
    assert again.headers['Location'].endswith(made.pop())
    nodes = client.get('/v1/clouds/sim-b/nodes').get_json()['nodes']
    assert len(nodes) == 1
    other = client.post(
        '/v1/clouds/sim-b/nodes',
        json=dict(NODE, name='web-2'),
        headers=headers,
    )
    assert other.status_code == 409
    assert other.get_json()['error']['code'] == 'idempotency_key_reused'


def test_a_failed_create_frees_its_idempotency_key(client):
    headers = {'Idempotency-Key': 'create-bad'}
    bad = dict(NODE, image='img-nope')
    first = client.post('/v1/clouds/sim-b/nodes', json=bad, headers=headers)
    assert first.status_code == 400
    second = client.post('/v1/clouds/sim-b/nodes', json=bad, headers=headers)
    assert second.status_code == 400
    assert second.get_json()['error']['field'] == 'image'


def test_a_malformed_chunked_body_is_400_under_gunicorn(tmp_path):
    import json
    import socket

    from tests.support.servers import GunicornServer

    settings = tmp_path / 'settings.py'
    settings.write_text('AUTH_ENABLED = False\n')
    server = GunicornServer(
        {
            'MW_SETTINGS': str(settings),
            'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
            'MW_LOG_LEVEL': 'WARNING',
        },
        workers=1,
    )
    server.start()
    try:
        with socket.create_connection(('127.0.0.1', server.port)) as sock:
            sock.settimeout(10)
            sock.sendall(
                b'POST /v1/clouds/default/nodes HTTP/1.1\r\n'
                b'Host: 127.0.0.1\r\n'
                b'Content-Type: application/json\r\n'
                b'Transfer-Encoding: chunked\r\n\r\n'
                b'ZZ\r\n{"name"\r\n0\r\n\r\n'
            )
            answer = b''
            while b'\r\n\r\n' not in answer or not answer.endswith(b'}'):
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
    finally:
        output = server.stop()
    head, _, body = answer.partition(b'\r\n\r\n')
    assert head.startswith(b'HTTP/1.1 400'), (head, output)
    assert json.loads(body)['error']['code'] == 'invalid_body'


@pytest.mark.parametrize('marker', [' 1', '1\n', '+1', '\u0661'])
def test_a_numeric_marker_takes_ascii_digits_only(client, marker):
    stack = client.post('/v1/stacks', json=TEMPLATE).get_json()['stack']
    response = client.get(
        '/v1/stacks/%s/events' % stack['id'],
        query_string={'marker': marker, 'limit': 1},
    )
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == 'marker'


def _slow_client(port, stop):
    """A client sending its request's headers a byte every half second."""
    import socket
    import time

    try:
        with socket.create_connection(('127.0.0.1', port)) as sock:
            for byte in b'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ' + (
                b'a' * 100
            ):
                if stop.is_set():
                    return
                sock.send(bytes([byte]))
                time.sleep(0.5)
    except OSError:
        return


def test_the_documented_deployment_answers_probes_beside_slow_clients(
    tmp_path,
):
    import threading
    import time

    import requests

    from dispatcher.cli.server import THREADS_PER_WORKER
    from tests.support.servers import GunicornServer

    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    with open(os.path.join(root, 'docs', 'deployment.rst')) as handle:
        assert (
            'gunicorn -w 4 --threads %d' % THREADS_PER_WORKER in handle.read()
        )
    server = GunicornServer(
        {
            'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
            'MW_LOG_LEVEL': 'WARNING',
        },
        workers=4,
        extra_args=['--threads', str(THREADS_PER_WORKER)],
    )
    server.start()
    stop = threading.Event()
    clients = [
        threading.Thread(target=_slow_client, args=(server.port, stop))
        for _ in range(4)
    ]
    try:
        for client in clients:
            client.start()
        time.sleep(1)
        answered = 0
        for _ in range(12):
            try:
                requests.get(server.url + '/healthz', timeout=3)
                answered += 1
            except requests.RequestException:
                pass
            time.sleep(0.25)
        assert answered == 12
    finally:
        stop.set()
        for client in clients:
            client.join(5)
        server.stop()


def test_the_documented_access_log_leaves_query_strings_out(tmp_path):
    import requests

    from tests.support.servers import GunicornServer

    secret = 'mwt_' + 'z' * 40
    server = GunicornServer(
        {
            'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
            'MW_LOG_LEVEL': 'WARNING',
        },
        workers=1,
        extra_args=['--threads', '8', '--access-logfile', '-'],
    )
    server.start()
    try:
        answer = requests.get(
            server.url + '/v1/clouds', params={'token': secret}, timeout=10
        )
        assert answer.status_code == 401
    finally:
        output = server.stop()
    assert '/v1/clouds?[query left out]' in output
    assert secret not in output
