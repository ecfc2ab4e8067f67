"""Images, sizes and locations, on every provider label."""

import pytest

KINDS = {
    'images': 'list_images',
    'sizes': 'list_sizes',
    'locations': 'list_locations',
}


@pytest.mark.parametrize('kind', sorted(KINDS))
def test_catalogue_lists_items_of_this_cloud(api, kind):
    api.require(KINDS[kind], lambda: api.get(kind))
    items = api.all(kind)
    assert items, '%s lists no %s' % (api.cloud, kind)
    for item in items:
        assert isinstance(item['id'], str) and item['id']
        assert item['cloud'] == api.cloud
        assert 'name' in item
    ids = [item['id'] for item in items]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize('kind', sorted(KINDS))
def test_catalogue_pages_follow_on_from_their_marker(api, kind):
    api.require(KINDS[kind], lambda: api.get(kind, limit=1))
    everything = [item['id'] for item in api.all(kind)]
    first, marker = api.items(kind, limit=2)
    assert [i['id'] for i in first] == everything[:2]
    if len(everything) <= 2:
        assert marker is None
        return
    assert marker == everything[1]
    second, _ = api.items(kind, limit=2, marker=marker)
    assert [i['id'] for i in second] == everything[2:4]


@pytest.mark.parametrize('kind', sorted(KINDS))
def test_catalogue_filters_by_name(api, kind):
    api.require(KINDS[kind], lambda: api.get(kind, name='x'))
    item = api.items(kind, limit=1)[0][0]
    named = api.all(kind, name=item['name'])
    assert item['id'] in [i['id'] for i in named]
    assert all(i['name'] == item['name'] for i in named)


def test_marker_of_no_item_is_400_naming_the_field(api):
    api.require('list_sizes', lambda: api.get('sizes'))
    response = api.get('sizes', marker='no-such-size-anywhere')
    assert response.status_code == 400
    assert response.get_json()['error']['field'] == 'marker'
