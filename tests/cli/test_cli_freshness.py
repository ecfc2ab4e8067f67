"""``mw`` says how fresh a listing from the inventory is, and --fresh
asks the providers."""

from tests.orchestration.support import provider


def test_a_table_is_followed_by_its_freshness_on_stderr(mw):
    result = mw('node-list', '--cloud', 'sim-b')
    assert result.exit_code == 0, result.stderr
    assert 'sim-b: observed' in result.stderr
    assert '(fresh)' in result.stderr
    assert 'observed' not in result.stdout


def test_every_cloud_has_its_line(mw):
    result = mw('node-list')
    assert result.exit_code == 0, result.stderr
    for cloud in ('default', 'sim-b', 'dummy'):
        assert '%s: observed' % cloud in result.stderr


def test_fresh_lists_what_the_provider_has_now(mw, mw_json, app):
    assert mw_json('node-list', '--cloud', 'sim-b')['nodes'] == []
    provider(app.instance_path, 'sim-b').create_node(
        name='outside', size='small', image='img-debian-12'
    )
    assert mw_json('node-list', '--cloud', 'sim-b')['nodes'] == []
    listed = mw_json('node-list', '--cloud', 'sim-b', '--fresh')['nodes']
    assert [n['name'] for n in listed] == ['outside']


def test_catalogue_lists_take_fresh_too(mw):
    result = mw('image-list', 'sim-b', '--fresh', '--limit', '2')
    assert result.exit_code == 0, result.stderr
    assert 'sim-b: observed 0 s ago (fresh)' in result.stderr
