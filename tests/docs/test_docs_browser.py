"""The API reference, opened in headless Chromium from the running service.

The documentation is built (with warnings as errors), served by a live
server at ``/docs/``, and rendered by Debian's ``chromium``; every route of
the app must be on the rendered page.  A screenshot of the page is kept in
``tests/artifacts/`` (git-ignored).  Without Chromium the test is skipped,
except under ``CI=true``, where that is a failure.
"""

import os
import re
import subprocess

import pytest

ARTIFACTS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'artifacts'
)

CHROMIUM_FLAGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
]


@pytest.fixture
def app_config(app_config, built_docs):
    return dict(app_config, DOCS_PATH=built_docs)


@pytest.fixture
def chromium(require_program, tmp_path):
    """``chromium(*args)``: its standard output, in a fresh profile."""
    program = require_program('chromium', 'chromium')

    def run(*args):
        profile = tmp_path / ('profile-%d' % len(os.listdir(tmp_path)))
        result = subprocess.run(
            [program]
            + CHROMIUM_FLAGS
            + ['--user-data-dir=%s' % profile]
            + list(args),
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    return run


def anchors(app, require):
    """Each route's anchor on the reference page, as httpdomain makes it."""
    httpdomain = require('sphinxcontrib.httpdomain')

    from tests.support.routes import iter_routes

    return {
        '%s %s' % (route.method, route.rule): httpdomain.http_resource_anchor(
            route.method, route.openapi_path
        )
        for route in iter_routes(app)
    }


def test_every_route_is_on_the_rendered_reference(
    app, live_server, require, chromium
):
    url = live_server.url + '/docs/api_v1.html'
    dom = chromium('--dump-dom', url)
    assert '<title>' in dom and 'HTTP API v1' in dom
    ids = set(re.findall(r'\bid="([^"]+)"', dom))
    expected = anchors(app, require)
    missing = sorted(
        route for route, anchor in expected.items() if anchor not in ids
    )
    assert not missing, (
        'routes missing from the rendered reference: %s' % missing
    )
    os.makedirs(ARTIFACTS, exist_ok=True)
    screenshot = os.path.join(ARTIFACTS, 'api_v1.png')
    if os.path.exists(screenshot):
        os.remove(screenshot)
    chromium('--window-size=1280,4000', '--screenshot=%s' % screenshot, url)
    with open(screenshot, 'rb') as handle:
        assert handle.read(8) == b'\x89PNG\r\n\x1a\n'


def test_the_front_page_links_every_part(live_server, chromium):
    dom = chromium('--dump-dom', live_server.url + '/docs/')
    for page in (
        'quickstart',
        'configuration',
        'api_v1',
        'errors',
        'drivers',
        'deployment',
        'architecture',
        'providers',
        'performance',
    ):
        assert 'href="%s.html"' % page in dom, page
