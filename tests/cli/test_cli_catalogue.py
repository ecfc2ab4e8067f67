"""``image-list``, ``size-list`` and ``location-list`` over HTTP."""

import pytest
from mw_output import assert_clean_failure, table_rows

CATALOGUE = [
    ('image-list', 'images', ['ID', 'Name']),
    (
        'size-list',
        'sizes',
        ['ID', 'Name', 'RAM (MB)', 'Disk (GB)', 'Bandwidth', 'Price'],
    ),
    ('location-list', 'locations', ['ID', 'Name', 'Country']),
]


@pytest.mark.parametrize('command, collection, headings', CATALOGUE)
def test_catalogue_table_matches_the_json(
    mw, mw_json, command, collection, headings
):
    items = mw_json(command, 'default')[collection]
    assert items and all(item['cloud'] == 'default' for item in items)
    result = mw(command, 'default', '--limit', '1')
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == headings
    assert [row[:2] for row in rows[1:]] == [
        [item['id'], item['name']] for item in items
    ]


def test_size_list_shows_ram_disk_and_price(mw):
    rows = table_rows(mw('size-list', 'sim-b').stdout)
    assert rows[1] == [
        'small',
        'Small: 1 vCPU, 1 GB RAM',
        '1024',
        '25',
        '1000',
        '0.0075',
    ]


def test_image_list_of_libcloud_dummy_and_by_name(mw, mw_json):
    images = mw_json('image-list', 'dummy')['images']
    assert images
    named = mw_json('image-list', 'dummy', '--name', images[0]['name'])
    assert [i['id'] for i in named['images']] == [
        i['id'] for i in images if i['name'] == images[0]['name']
    ]


def test_catalogue_of_an_unknown_cloud_exits_1(mw):
    assert_clean_failure(
        mw('location-list', 'nowhere'), 1, "cloud 'nowhere' not found"
    )
