"""Secrets never leak: not in answers, headers, logs, tracebacks or records.

The farm holds clouds with distinctive passwords: one that works, some
that refuse their credentials or fail, one unreachable, one whose entry is
broken.  Every route of ``app.url_map`` is then driven on every cloud, with
real and unknown ids, good and bad bodies, with and without a valid token,
and every answer (body and headers), every log record and the state the
service keeps are searched for the passwords and the token values.
"""

import itertools
import os
import re
import time

import pytest
import sqlalchemy

from dispatcher import storage
from dispatcher.policy import roles
from dispatcher.services import inventory, tokens
from tests.support.routes import iter_routes
from tests.support.servers import free_port

IMAGE = 'img-ubuntu-24.04'

PASSWORDS = {
    'lab-ok': 'Zq-pw-lab-ok-3f9a1c',
    'lab-refused': 'Zq-pw-lab-refused-71c2d4',
    'lab-wrong': 'Zq-pw-lab-wrong-5d0e88',
    'lab-create-fails': 'Zq-pw-lab-create-b81d07',
    'lab-broken': 'Zq-pw-lab-broken-44aa19',
    'os-closed': 'Zq-pw-openstack-9c2e55',
    'ec2-closed': 'Zq-pw-ec2-secretkey-0d7f3b',
}


def _simulator(cloud, **params):
    return {
        'ENGINE': 'simulator',
        'PASSWORD': PASSWORDS[cloud],
        'TIMEOUT': 2.0,
        'EXTRA_PARAMS': dict({'boot_time': 0}, **params),
    }


@pytest.fixture
def farm_config(farm_config):
    closed = 'http://127.0.0.1:%d' % free_port()
    farm_config.update(
        {
            'lab-ok': _simulator(
                'lab-ok', expected_secret=PASSWORDS['lab-ok']
            ),
            'lab-refused': _simulator('lab-refused', fail_with='auth'),
            'lab-wrong': _simulator(
                'lab-wrong', expected_secret='Zq-what-the-cloud-wants'
            ),
            'lab-create-fails': _simulator(
                'lab-create-fails',
                fail_with='server_error',
                fail_operations=['create_node', 'create_volume'],
            ),
            'lab-broken': _simulator('lab-broken', no_such_parameter=1),
            'os-closed': {
                'ENGINE': 'openstack',
                'USER': 'demo',
                'PASSWORD': PASSWORDS['os-closed'],
                'TIMEOUT': 2.0,
                'EXTRA_PARAMS': {
                    'auth_url': closed + '/identity/',
                    'auth_version': '2.0_password',
                    'tenant': 'demo',
                    'region': 'ORD',
                },
            },
            'ec2-closed': {
                'ENGINE': 'ec2',
                'USER': 'AKIDLEAKTEST',
                'PASSWORD': PASSWORDS['ec2-closed'],
                'TIMEOUT': 2.0,
                'EXTRA_PARAMS': {
                    'endpoint': closed,
                    'endpoint_dialect': 'moto',
                },
            },
        }
    )
    return farm_config


@pytest.fixture
def app_config(app_config):
    return dict(
        app_config,
        LOG_LEVEL='DEBUG',
        RATE_LIMIT_PER_MINUTE=0,
        AUTH_FAILURES_PER_MINUTE=0,
    )


class Recorder(object):
    """Sends requests and keeps every answer for the search."""

    def __init__(self, app, token):
        self.client = app.test_client()
        self.token = token
        self.answers = []
        self.showing_a_new_token = []
        self.new_token_values = []

    def __call__(self, method, path, body=None, token=True, raw=None):
        headers = {}
        if token is True:
            headers['X-Auth-Token'] = self.token
        elif token:
            headers['X-Auth-Token'] = token
        kwargs = {'json': body} if body is not None else {}
        if raw is not None:
            kwargs = {'data': raw, 'content_type': 'text/plain'}
        response = self.client.open(
            path, method=method, headers=headers, **kwargs
        )
        text = response.get_data(as_text=True)
        response.close()
        head = '\n'.join('%s: %s' % item for item in response.headers.items())
        answer = (method, path, response.status_code, head + '\n' + text)
        if (
            method == 'POST'
            and path == '/v1/tokens'
            and response.status_code == 201
        ):
            self.showing_a_new_token.append(answer)
            self.new_token_values.append(response.get_json()['token']['value'])
        else:
            self.answers.append(answer)
        return response.status_code, (response.get_json(silent=True) or {})


def _fill(rule, values):
    return re.sub(
        r'<(?:[^:>]+:)?([^>]+)>', lambda m: str(values[m.group(1)]), rule
    )


def _bodies(route, values, counter):
    """Valid bodies of each route that takes one, per binding."""
    n = next(counter)
    cloud = values.get('cloud_name', 'lab-ok')
    return {
        ('POST', '/v1/clouds/<cloud_name>/nodes'): {
            'name': 'leak-n%d' % n,
            'size': 'small',
            'image': IMAGE,
        },
        ('POST', '/v1/clouds/<cloud_name>/nodes/<node_id>/action'): {
            'action': 'reboot'
        },
        ('POST', '/v1/clouds/<cloud_name>/key_pairs'): {
            'name': 'leak-k%d' % n
        },
        ('POST', '/v1/clouds/<cloud_name>/volumes'): {
            'name': 'leak-v%d' % n,
            'size': 1,
        },
        ('POST', '/v1/clouds/<cloud_name>/volumes/<volume_id>/attach'): {
            'node_id': values.get('node_id', 'n-0')
        },
        ('POST', '/v1/clouds/<cloud_name>/volumes/<volume_id>/detach'): None,
        ('POST', '/v1/jobs/<job_id>/cancel'): None,
        ('POST', '/v1/stacks'): {
            'name': 'leak-s%d' % n,
            'groups': [
                {
                    'name': 'web',
                    'cloud': cloud,
                    'size': 'small',
                    'image': IMAGE,
                    'count': 1,
                }
            ],
        },
        ('PATCH', '/v1/stacks/<stack_id>'): {
            'groups': [{'name': 'web', 'count': 2}]
        },
        ('POST', '/v1/tokens'): {'role': 'reader', 'name': 'leak-t%d' % n},
    }[(route.method, route.rule)]


def _resources(send, clouds):
    """Real ids to drive the routes with: one of each on every cloud that
    lets them be made, and unknown ones."""
    ids = {
        name: {
            'node_id': ['no-such-node'],
            'volume_id': ['no-such-vol'],
            'name': ['no-such-key'],
        }
        for name in clouds
    }
    for cloud in clouds:
        base = '/v1/clouds/%s/' % cloud
        status, body = send(
            'POST',
            base + 'nodes',
            {'name': 'real-node', 'size': 'small', 'image': IMAGE},
        )
        if status == 201:
            ids[cloud]['node_id'].append(body['node']['id'])
        status, body = send(
            'POST', base + 'volumes', {'name': 'real-vol', 'size': 1}
        )
        if status == 201:
            ids[cloud]['volume_id'].append(body['volume']['id'])
        status, _ = send('POST', base + 'key_pairs', {'name': 'real-key'})
        if status == 201:
            ids[cloud]['name'].append('real-key')
    return ids


def _bindings(route, clouds, ids, others):
    """Every way of filling the route's variables."""
    names = list(route.variables)
    if 'cloud_name' not in names:
        choices = [others[name] for name in names]
        return [
            dict(zip(names, combo)) for combo in itertools.product(*choices)
        ]
    found = []
    for cloud in clouds + ['no-such-cloud']:
        per_cloud = ids.get(
            cloud, {'node_id': ['n-0'], 'volume_id': ['v-0'], 'name': ['k-0']}
        )
        rest = [n for n in names if n != 'cloud_name']
        for combo in itertools.product(*[per_cloud[n] for n in rest]):
            found.append(dict(zip(rest, combo), cloud_name=cloud))
    return found


def _drive_every_route(app, send, other_tokens):
    farm = app.extensions['dispatcher.farm']
    clouds = list(farm.clouds)
    ids = _resources(send, clouds)
    for cloud in clouds:
        send('GET', '/v1/clouds/%s?check=true' % cloud)
    stacks = [
        send(
            'POST',
            '/v1/stacks',
            {
                'name': 'stack-%s' % cloud,
                'groups': [
                    {
                        'name': 'web',
                        'cloud': cloud,
                        'size': 'small',
                        'image': IMAGE,
                        'count': 1,
                    }
                ],
            },
        )[1]
        for cloud in clouds
    ]
    stacks = [s for s in stacks if 'job' in s]
    jobs = [s['job']['id'] for s in stacks]
    _wait_for_jobs(send, jobs)
    throwaway = send('POST', '/v1/tokens', {'role': 'reader'})[1]
    others = {
        'job_id': jobs + ['no-such-job'],
        'stack_id': [s['stack']['id'] for s in stacks] + ['no-such-stack'],
        'token_id': [throwaway['token']['id'], 'no-such-token'],
        'filename': ['index.html', 'no-such-page.html'],
        'label': sorted({c.label for c in farm if c.label}) + ['no-such'],
    }
    counter = itertools.count()
    order = {'GET': 0, 'POST': 1, 'PATCH': 2, 'DELETE': 3}
    routes = sorted(iter_routes(app), key=lambda r: order[r.method])
    for route in routes:
        for values in _bindings(route, clouds, ids, others):
            path = _fill(route.rule, values)
            if route.method == 'GET':
                send('GET', path)
                if not roles.is_public(route.endpoint):
                    send('GET', path + '?limit=1&name=x')
            else:
                body = (
                    _bodies(route, values, counter)
                    if route.reads_json_body()
                    else None
                )
                send(route.method, path, body)
                if route.reads_json_body():
                    send(route.method, path, {})
                    send(
                        route.method, path, {'name': 'bad name', 'unknown': 1}
                    )
                    send(route.method, path, raw='not json')
            for token in other_tokens:
                send(route.method, path, token=token)
    _wait_for_jobs(
        send, [j['id'] for j in send('GET', '/v1/jobs')[1].get('jobs', [])]
    )
    send('GET', '/v1/jobs')
    send('GET', '/v1/events?limit=1000')
    return clouds


def _wait_for_jobs(send, job_ids, timeout=60.0):
    deadline = time.monotonic() + timeout
    for job_id in job_ids:
        while time.monotonic() < deadline:
            status, body = send('GET', '/v1/jobs/' + job_id)
            if body.get('job', {}).get('status') in (
                'succeeded',
                'failed',
                'cancelled',
            ):
                break
            time.sleep(0.1)


def _stored_text(app):
    """Every value of every table of the service's database, as text."""
    engine = storage.database(app).engine
    metadata = sqlalchemy.MetaData()
    metadata.reflect(engine)
    parts = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(table.select()):
                parts.extend(str(value) for value in row)
    return '\n'.join(parts)


def _instance_bytes(app):
    """The bytes of every file of the instance folder but the first-run
    token's own file."""
    found = []
    for folder, _, names in os.walk(app.instance_path):
        for name in names:
            if name == 'admin-token':
                continue
            with open(os.path.join(folder, name), 'rb') as handle:
                found.append((name, handle.read()))
    return found


def _leaks(text, secrets):
    return sorted(name for name, value in secrets.items() if value in text)


def test_no_secret_in_any_answer_log_or_record(
    app, admin_token, caplog, capfd
):
    capfd.readouterr()
    caplog.set_level('DEBUG')
    database = storage.database(app)
    reader = tokens.create_token(database, 'reader', name='leak-reader')[1]
    limited = tokens.create_token(
        database, 'admin', clouds=['lab-ok'], name='leak-limited'
    )[1]
    with open(os.path.join(app.instance_path, 'admin-token')) as handle:
        first_run = handle.read().strip()
    send = Recorder(app, admin_token)
    clouds = _drive_every_route(
        app, send, [None, reader, limited, 'mwt_' + 'x' * 43]
    )
    assert len(send.answers) > 1000
    statuses = {answer[2] for answer in send.answers}
    assert {
        200,
        201,
        202,
        204,
        400,
        401,
        403,
        404,
        405,
        413,
        415,
        502,
        503,
    } & statuses >= {200, 201, 400, 401, 403, 404, 415, 502, 503}
    assert set(PASSWORDS) <= set(clouds)
    new_tokens = {
        'token %d' % n: value for n, value in enumerate(send.new_token_values)
    }
    assert new_tokens
    secrets = dict(
        PASSWORDS,
        admin=admin_token,
        reader=reader,
        limited=limited,
        first_run=first_run,
        **new_tokens,
    )
    for method, path, status, text in send.answers:
        assert _leaks(text, secrets) == [], (method, path, status)
    for method, path, status, text in send.showing_a_new_token:
        assert _leaks(text, PASSWORDS) == [], (method, path)
    records = [
        record.getMessage() + '\n' + (record.exc_text or '')
        for record in caplog.records
    ]
    assert len(records) > 1000
    logged = '\n'.join(records) + caplog.text
    assert _leaks(logged, secrets) == []
    printed = capfd.readouterr()
    assert _leaks(printed.out + printed.err, secrets) == []
    assert _leaks(_stored_text(app), secrets) == []
    for name, content in _instance_bytes(app):
        leaked = [
            key for key, value in secrets.items() if value.encode() in content
        ]
        assert leaked == [], name


def test_a_crash_shows_no_secret_in_answer_or_traceback(
    app, client, admin_token, caplog, monkeypatch
):
    def crash(cloud, *args, **kwargs):
        raise RuntimeError(
            'driver said: password=%s token=%s'
            % (PASSWORDS['lab-ok'], admin_token)
        )

    monkeypatch.setattr(inventory.Inventory, 'page', crash)
    caplog.set_level('DEBUG')
    response = client.get('/v1/clouds/lab-ok/nodes')
    assert response.status_code == 500
    assert response.get_json()['error']['code'] == 'internal_error'
    text = response.get_data(as_text=True)
    assert PASSWORDS['lab-ok'] not in text and admin_token not in text
    [record] = [r for r in caplog.records if r.exc_info]
    logged = caplog.text + (record.exc_text or '')
    assert 'RuntimeError' in logged and 'Traceback' in logged
    assert PASSWORDS['lab-ok'] not in logged
    assert admin_token not in logged
    assert admin_token[:12] + '***' in logged
