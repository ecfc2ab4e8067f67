"""The driver of "How to add a provider driver" works, both ways.

``docs/examples/example_driver.py`` is the page's example, included in it
verbatim; these tests enable it as the page says (a label mapped in the
cloud factory, or a plugin installed from ``docs/examples/pyproject.toml``)
and use it through the API.
"""

import os
import shutil
import sys
import tomllib

import pytest

from dispatcher import close_app
from dispatcher.lib import cloud_factory
from dispatcher.lib.cloud_factory.drivers import build
from tests.support.plugins import registry_read_again

EXAMPLES = os.path.join(
    os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ),
    'docs',
    'examples',
)

LAB_ENTRY = {
    'ENGINE': 'labcloud',
    'USER': 'team-a',
    'EXTRA_PARAMS': {'site': 'lab-1', 'speed': 'fast'},
}


@pytest.fixture(autouse=True)
def fresh_import():
    """Each test imports the example from where its way installs it."""
    sys.modules.pop('example_driver', None)
    yield
    sys.modules.pop('example_driver', None)


#: Where the page's step 2 puts the driver, and its map entry.
BUILTIN_MODULE = 'dispatcher.lib.cloud_factory.drivers.labcloud'


@pytest.fixture
def builtin_label(monkeypatch):
    """The page's built-in way: the driver in ``drivers/labcloud.py`` (the
    example file, under that module name) and the label mapped to it."""
    monkeypatch.syspath_prepend(EXAMPLES)
    import example_driver

    monkeypatch.setitem(sys.modules, BUILTIN_MODULE, example_driver)
    monkeypatch.setitem(
        cloud_factory.BUILTIN_DRIVERS,
        'labcloud',
        BUILTIN_MODULE + ':LabCloudDriver',
    )
    yield from registry_read_again()


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """The page's plugin way: the example installed as a distribution.

    The distribution's metadata is written from the page's
    ``pyproject.toml``, as ``pip install .`` would.
    """
    with open(os.path.join(EXAMPLES, 'pyproject.toml'), 'rb') as handle:
        project = tomllib.load(handle)['project']
    site = tmp_path / 'site-packages'
    info = site / (
        '%s-%s.dist-info'
        % (project['name'].replace('-', '_'), project['version'])
    )
    info.mkdir(parents=True)
    (info / 'METADATA').write_text(
        'Metadata-Version: 2.1\nName: %s\nVersion: %s\n'
        % (project['name'], project['version'])
    )
    lines = []
    for group, entries in project['entry-points'].items():
        lines.append('[%s]' % group)
        lines.extend('%s = %s' % item for item in entries.items())
    (info / 'entry_points.txt').write_text('\n'.join(lines) + '\n')
    shutil.copy(os.path.join(EXAMPLES, 'example_driver.py'), site)
    monkeypatch.syspath_prepend(str(site))
    for _ in registry_read_again():
        yield project


@pytest.fixture
def farm_config(farm_config):
    return dict(farm_config, lab=dict(LAB_ENTRY))


def use_the_lab_cloud(client):
    cloud = client.get('/v1/clouds/lab').get_json()['cloud']
    assert cloud['status'] == 'available', cloud['reason']
    assert cloud['provider'] == 'labcloud'
    assert 'create_node' in cloud['capabilities']
    created = client.post(
        '/v1/clouds/lab/nodes',
        json={
            'name': 'lab-web-1',
            'size': 'small',
            'image': 'img-ubuntu-24.04',
        },
    )
    assert created.status_code == 201, created.get_json()
    listed = client.get('/v1/clouds/lab/nodes').get_json()['nodes']
    assert [n['name'] for n in listed] == ['lab-web-1']
    assert listed[0]['cloud'] == 'lab'
    everywhere = client.get('/v1/nodes?cloud=lab').get_json()['nodes']
    assert [n['id'] for n in everywhere] == [listed[0]['id']]


def test_the_builtin_way_serves_the_example(builtin_label, client):
    use_the_lab_cloud(client)
    provider = client.get('/v1/providers?name=labcloud').get_json()[
        'providers'
    ][0]
    assert provider['source'] == 'builtin'
    assert provider['driver'] == BUILTIN_MODULE + ':LabCloudDriver'
    assert provider['available'] and 'list_nodes' in provider['capabilities']


def test_the_plugin_way_serves_the_example(installed_plugin, client):
    use_the_lab_cloud(client)
    provider = client.get('/v1/providers?name=labcloud').get_json()[
        'providers'
    ][0]
    assert provider['source'] == 'plugin'
    assert provider['driver'] == 'example_driver:LabCloudDriver'


def test_the_mapping_keeps_each_site_apart(builtin_label, tmp_path):
    import example_driver

    first = build(
        example_driver.LabCloudDriver,
        dict(LAB_ENTRY, NAME='lab', INSTANCE_PATH=str(tmp_path)),
    )
    first.check_parameters()
    driver = first.connect(timeout=5)
    assert driver.list_nodes() == []
    assert driver.boot_time == 0.0
    state = tmp_path / 'labcloud' / 'lab-1.sqlite'
    assert state.exists()
    assert not (tmp_path / 'labcloud' / 'lab-2.sqlite').exists()


@pytest.mark.parametrize(
    'entry, reason',
    [
        (
            dict(LAB_ENTRY, EXTRA_PARAMS={'speed': 'warp'}),
            'speed must be one of',
        ),
        (dict(LAB_ENTRY, USER=''), 'missing credential USER'),
        (dict(LAB_ENTRY, EXTRA_PARAMS={'sitee': 'lab-1'}), 'sitee'),
    ],
)
def test_a_bad_entry_leaves_the_cloud_unavailable_with_its_reason(
    builtin_label, app_config, entry, reason
):
    from dispatcher import create_app

    config = dict(app_config, CLOUD_FARM={'lab': entry})
    application = create_app(config)
    try:
        cloud = application.extensions['dispatcher.farm'].get('lab')
        assert not cloud.available
        assert reason in cloud.reason
    finally:
        close_app(application)


def test_the_page_includes_the_tested_files():
    with open(os.path.join(os.path.dirname(EXAMPLES), 'drivers.rst')) as f:
        page = f.read()
    assert '.. literalinclude:: examples/example_driver.py' in page
    assert '.. literalinclude:: examples/pyproject.toml' in page
