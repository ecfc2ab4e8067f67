"""The first start: one admin token, shown once, saved for its owner only."""

import io
import os
import pty
import stat
import subprocess
import sys

import pytest
import requests

from dispatcher import close_app, create_app, storage
from dispatcher.services import firstrun, tokens
from tests.conftest import ROOT
from tests.support.servers import GunicornServer, free_port, wait_until_serving

FARM = """
class CloudConfig(object):
    CLOUD_FARM = {'default': {'ENGINE': 'simulator',
                              'EXTRA_PARAMS': {'boot_time': 0}}}
"""


def _token_file(instance):
    return os.path.join(str(instance), 'admin-token')


def _start(app_config, caplog):
    caplog.clear()
    with caplog.at_level('WARNING', logger='dispatcher'):
        application = create_app(app_config)
    close_app(application)
    return application, caplog.text


def test_first_start_creates_one_admin_token_shown_once(
    app_config, caplog, monkeypatch
):
    for name in [n for n in os.environ if n.startswith('MW_')]:
        monkeypatch.delenv(name)
    application, log = _start(app_config, caplog)
    path = _token_file(app_config['INSTANCE_PATH'])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as handle:
        value = handle.read().strip()
    assert value not in log
    assert 'admin token was created' in log and path in log
    [token] = tokens.list_tokens(storage.database(application))
    assert token['role'] == 'admin' and token['clouds'] is None
    assert token['created_by'] == 'first-run'
    answer = application.test_client().get(
        '/v1/clouds', headers={'X-Auth-Token': value}
    )
    assert answer.status_code == 200

    again, log = _start(app_config, caplog)
    assert 'admin token' not in log
    assert len(tokens.list_tokens(storage.database(again))) == 1
    with open(path) as handle:
        assert handle.read().strip() == value


def test_no_first_run_token_once_any_token_exists(
    app_config, caplog, monkeypatch
):
    for name in [n for n in os.environ if n.startswith('MW_')]:
        monkeypatch.delenv(name)
    application, _ = _start(app_config, caplog)
    database = storage.database(application)
    [first] = tokens.list_tokens(database)
    tokens.revoke_token(database, first['id'])
    os.remove(_token_file(app_config['INSTANCE_PATH']))
    _, log = _start(app_config, caplog)
    assert 'admin token' not in log
    assert not os.path.exists(_token_file(app_config['INSTANCE_PATH']))


def test_first_token_is_shown_on_a_terminal_only():
    class Console(io.StringIO):
        def isatty(self):
            return True

    console, pipe = Console(), io.StringIO()
    firstrun.show_on_console('mwt_example-value', console)
    firstrun.show_on_console('mwt_example-value', pipe)
    assert 'shown this once: mwt_example-value' in console.getvalue()
    assert pipe.getvalue() == ''


def test_first_token_reaches_a_real_terminal(tmp_path):
    controller, terminal = pty.openpty()
    environment = dict(os.environ, **_environment(tmp_path))
    environment['PYTHONPATH'] = os.path.join(ROOT, 'middleware')
    process = subprocess.Popen(
        [sys.executable, '-c', 'import dispatcher; dispatcher.app'],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    shown = b''
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    process.wait(30)
    os.close(controller)
    with open(_token_file(tmp_path / 'instance')) as handle:
        value = handle.read().strip()
    text = shown.decode('utf-8', 'replace')
    assert text.count(value) == 1
    assert 'shown this once: ' + value in text


def _environment(tmp_path, **extra):
    settings = tmp_path / 'settings.py'
    settings.write_text(FARM)
    environment = {
        'MW_SETTINGS': str(settings),
        'MW_INSTANCE_PATH': str(tmp_path / 'instance'),
        'MW_LOG_LEVEL': 'WARNING',
    }
    environment.update(extra)
    return environment


def test_gunicorn_workers_starting_together_create_one_token(tmp_path):
    server = GunicornServer(_environment(tmp_path), workers=3)
    server.start()
    try:
        path = _token_file(tmp_path / 'instance')
        with open(path) as handle:
            value = handle.read().strip()
        for _ in range(12):
            answer = requests.get(
                server.url + '/v1/clouds',
                timeout=10,
                headers={'X-Auth-Token': value},
            )
            assert answer.status_code == 200
        refused = requests.get(server.url + '/v1/clouds', timeout=10)
        assert refused.status_code == 401
    finally:
        output = server.stop()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert value not in output
    assert output.count('admin token was created') == 1
    # The hint names the port gunicorn really listens on.
    assert '%s/v1/clouds' % server.url in output
    database = storage.Database(
        'sqlite:///' + str(tmp_path / 'instance' / 'mw.sqlite')
    )
    try:
        assert len(tokens.list_tokens(database)) == 1
    finally:
        database.dispose()


def _listening_addresses(port):
    """The local addresses of TCP sockets listening on ``port``."""
    found = []
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        if not os.path.exists(table):
            continue
        with open(table) as handle:
            for line in handle.readlines()[1:]:
                fields = line.split()
                address, hex_port = fields[1].rsplit(':', 1)
                if int(hex_port, 16) == port and fields[3] == '0A':
                    found.append(address)
    return found


@pytest.mark.skipif(
    not os.path.exists('/proc/net/tcp'),
    reason='needs /proc/net/tcp to see listening sockets',
)
@pytest.mark.parametrize('how', ['runserver', 'mw serve'])
def test_without_authentication_the_server_listens_on_loopback_only(
    tmp_path, how
):
    port = free_port()
    environment = dict(
        os.environ,
        **_environment(
            tmp_path,
            MW_AUTH_ENABLED='false',
            MW_HOST='0.0.0.0',
            MW_PORT=str(port),
        ),
    )
    environment['PYTHONPATH'] = os.path.join(ROOT, 'middleware')
    command = [
        sys.executable,
        os.path.join(ROOT, 'middleware', 'runserver.py'),
    ]
    if how == 'mw serve':
        command = [sys.executable, '-m', 'dispatcher.cli', 'serve']
    process = subprocess.Popen(
        command,
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_serving(
            'http://127.0.0.1:%d/healthz' % port, process=process
        )
        assert _listening_addresses(port) == ['0100007F']
        answer = requests.get(
            'http://127.0.0.1:%d/v1/clouds' % port, timeout=10
        )
        assert answer.status_code == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=15)[0].decode()
    assert 'authentication is OFF' in output
    assert 'not on 0.0.0.0' in output
    assert not os.path.exists(_token_file(tmp_path / 'instance'))


@pytest.mark.parametrize(
    'argv, environ, url',
    [
        (['/venv/bin/mw', 'serve'], {}, 'http://127.0.0.1:6001'),
        (
            ['/venv/bin/gunicorn', '-w', '4', '-b', '127.0.0.1:8123', 'x:app'],
            {},
            'http://127.0.0.1:8123',
        ),
        (
            ['/lib/gunicorn/__main__.py', '--bind=0.0.0.0:9000', 'x:app'],
            {},
            'http://127.0.0.1:9000',
        ),
        (
            ['/venv/bin/gunicorn', 'x:app'],
            {'GUNICORN_CMD_ARGS': '--bind 127.0.0.1:7007'},
            'http://127.0.0.1:7007',
        ),
        (['/venv/bin/gunicorn', 'x:app'], {}, 'http://127.0.0.1:8000'),
    ],
)
def test_the_hint_names_where_the_service_listens(argv, environ, url):
    config = {'HOST': '127.0.0.1', 'PORT': 6001}
    assert firstrun.serving_url(config, argv, environ) == url
