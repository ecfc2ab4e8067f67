"""The built documentation, served at ``/docs/`` and linked from ``/``."""

import pytest

from dispatcher import close_app


@pytest.fixture
def built(tmp_path):
    folder = tmp_path / 'html'
    (folder / 'sub').mkdir(parents=True)
    (folder / 'index.html').write_text('<html>front page</html>')
    (folder / 'api_v1.html').write_text('<html>reference</html>')
    (folder / 'sub' / 'index.html').write_text('<html>sub page</html>')
    (folder / 'style.css').write_text('body {}')
    return folder


@pytest.fixture
def app_config(app_config, built):
    return dict(app_config, DOCS_PATH=str(built))


def fetch(client, path):
    """``(status, mimetype, body)`` of a GET, the file closed."""
    response = client.get(path, follow_redirects=True)
    try:
        return response.status_code, response.mimetype, response.data
    finally:
        response.close()


def test_front_page_is_served(client):
    status, mimetype, body = fetch(client, '/docs/')
    assert (status, mimetype) == (200, 'text/html')
    assert b'front page' in body


def test_pages_and_assets_are_served_with_their_type(client):
    assert b'reference' in fetch(client, '/docs/api_v1.html')[2]
    assert fetch(client, '/docs/style.css')[:2] == (200, 'text/css')


def test_a_folder_gives_its_index(client):
    assert b'sub page' in fetch(client, '/docs/sub/')[2]
    assert b'sub page' in fetch(client, '/docs/sub')[2]


def test_ranges_and_revalidation_answer_as_documented(client):
    ranged = client.get('/docs/style.css', headers={'Range': 'bytes=0-3'})
    assert (ranged.status_code, ranged.data) == (206, b'body')
    ranged.close()
    outside = client.get('/docs/style.css', headers={'Range': 'bytes=9999-'})
    assert outside.status_code == 416
    assert outside.get_json()['error']['status'] == 416
    outside.close()
    fresh = client.get('/docs/style.css', headers={'If-None-Match': '*'})
    assert fresh.status_code == 304
    fresh.close()
    documented = client.get('/v1/openapi.json').get_json()['paths'][
        '/docs/{filename}'
    ]['get']['responses']
    assert {'200', '206', '304', '404', '416'} <= set(documented)


def test_the_docs_are_served_without_a_token(app):
    assert fetch(app.test_client(), '/docs/')[0] == 200


def test_docs_without_the_slash_redirects_without_a_token(app):
    answer = app.test_client().get('/docs')
    assert answer.status_code == 308
    assert answer.headers['Location'].endswith('/docs/')
    assert fetch(app.test_client(), '/docs/')[0] == 200


@pytest.mark.parametrize(
    'path',
    [
        '/docs/nothing.html',
        '/docs/../setup.py',
        '/docs/%2e%2e/conftest.py',
        '/docs/sub/../../x',
    ],
)
def test_missing_or_outside_files_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()['error']['status'] == 404


def test_root_links_the_docs_when_built(client):
    links = client.get('/').get_json()['versions'][0]['links']
    assert links['docs'] == '/docs/'


@pytest.mark.parametrize('docs_path', ['', 'missing'])
def test_unbuilt_docs_are_404_saying_how_to_build(
    app_config, tmp_path, docs_path
):
    from dispatcher import create_app
    from dispatcher.api import docs_site as site

    config = dict(app_config, DOCS_PATH=str(tmp_path / docs_path))
    if not docs_path and site.docs_folder({}) is not None:
        pytest.skip('docs/_build/html of this tree is built')
    application = create_app(config)
    try:
        client = application.test_client()
        for path in ('/docs/', '/docs/api_v1.html'):
            response = client.get(path)
            assert response.status_code == 404
            error = response.get_json()['error']
            assert error['code'] == 'docs_not_built'
            assert 'make_mw_docs.sh' in error['message']
        links = client.get('/').get_json()['versions'][0]['links']
        assert 'docs' not in links
    finally:
        close_app(application)
