"""How ``mw`` fails: distinct exit statuses, messages, never a traceback.

1: the API answered an error; 2: usage; 3: the service is unreachable;
4: the token is missing or refused.
"""

import time

import flask
import pytest
from mw_output import assert_clean_failure

from tests.support.servers import LiveServer, free_port

TOKEN = 'correct-horse-battery'


def _error(status, code, message):
    response = flask.jsonify(
        {'error': {'status': status, 'code': code, 'message': message}}
    )
    response.status_code = status
    return response


@pytest.fixture
def guarded_service():
    """A service that wants ``X-Auth-Token: TOKEN`` and records what it
    was sent; ``/v1/clouds/secret`` is forbidden to every token."""
    app = flask.Flask('guarded')
    app.seen_tokens = []

    @app.route('/healthz')
    def healthz():
        return {'status': 'ok'}

    @app.route('/v1/clouds')
    def clouds():
        token = flask.request.headers.get('X-Auth-Token')
        app.seen_tokens.append(token)
        if token is None:
            return _error(401, 'unauthorized', 'a token is required')
        if token != TOKEN:
            return _error(401, 'unauthorized', 'the token is not valid')
        return {
            'clouds': [{'name': 'guarded', 'provider': 'simulator'}],
            'next_marker': None,
        }

    @app.route('/v1/clouds/secret')
    def forbidden():
        return _error(403, 'forbidden', 'this token may not see it')

    @app.route('/v1/clouds/html')
    def not_json():
        return '<html>hello</html>', 200

    @app.route('/v1/clouds/slow')
    def slow():
        time.sleep(1.5)
        return {'cloud': {'name': 'slow'}}

    server = LiveServer(app)
    server.start()
    server.app = app
    yield server
    server.stop()


def test_an_unreachable_service_exits_3_naming_the_url(run_mw):
    url = 'http://127.0.0.1:%d' % free_port()
    result = run_mw(['cloud-list'], url=url)
    assert_clean_failure(
        result,
        3,
        'cannot reach the service at %s' % url,
        'connection refused',
        'mw serve',
    )


def test_the_url_option_overrides_mw_url(run_mw, live_server):
    url = 'http://127.0.0.1:%d' % free_port()
    result = run_mw(['--url', url, 'cloud-list'], url=live_server.url)
    assert_clean_failure(result, 3, url)
    result = run_mw(['--url', live_server.url, 'cloud-list'], url=url)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    'args, message',
    [
        (['node-list', '--colour', 'red'], 'No such option'),
        (['no-such-command'], 'No such command'),
        (['node-show', 'default'], "Missing argument 'NODE'"),
        (['node-list', '--limit', '0'], "Invalid value for '--limit'"),
        (['--url', 'ftp://example', 'cloud-list'], 'not an http'),
        (['serve', '--port', '70000'], "Invalid value for '--port'"),
    ],
)
def test_usage_errors_exit_2(run_mw, live_server, args, message):
    result = run_mw(args, url=live_server.url)
    assert_clean_failure(result, 2, message)


def test_missing_token_exits_4_saying_so(run_mw, guarded_service):
    result = run_mw(['cloud-list'], url=guarded_service.url)
    assert_clean_failure(
        result,
        4,
        'needs a token',
        'MW_TOKEN',
        'a token is required',
        'HTTP 401',
    )


def test_refused_token_exits_4_saying_so(run_mw, guarded_service):
    result = run_mw(
        ['--token', 'wrong', 'cloud-list'], url=guarded_service.url
    )
    assert_clean_failure(result, 4, 'refused the token', 'HTTP 401')
    assert 'wrong' not in result.stderr


def test_the_token_is_sent_as_x_auth_token(run_mw, guarded_service):
    result = run_mw(
        ['cloud-list'], url=guarded_service.url, env={'MW_TOKEN': TOKEN}
    )
    assert result.exit_code == 0, result.stderr
    assert 'guarded' in result.stdout
    result = run_mw(
        ['--token', TOKEN, '--json', 'cloud-list'], url=guarded_service.url
    )
    assert result.exit_code == 0, result.stderr
    assert guarded_service.app.seen_tokens == [TOKEN, TOKEN]


def test_forbidden_exits_4(run_mw, guarded_service):
    result = run_mw(
        ['--token', TOKEN, 'cloud-show', 'secret'], url=guarded_service.url
    )
    assert_clean_failure(
        result, 4, 'not allowed', 'this token may not see', 'HTTP 403'
    )


def test_a_service_that_does_not_answer_in_time_exits_3(
    run_mw, guarded_service
):
    result = run_mw(
        ['--request-timeout', '0.3', 'cloud-show', 'slow'],
        url=guarded_service.url,
    )
    assert_clean_failure(
        result,
        3,
        'the service at %s did not answer within 0.3 s' % guarded_service.url,
    )


def test_an_answer_that_is_not_json_exits_1(run_mw, guarded_service):
    result = run_mw(['cloud-show', 'html'], url=guarded_service.url)
    assert_clean_failure(
        result, 1, 'not a JSON object', "the middleware's URL"
    )


def test_a_route_the_service_lacks_exits_1(run_mw, guarded_service):
    result = run_mw(['image-list', 'x'], url=guarded_service.url)
    assert_clean_failure(result, 1, 'HTTP 404')
