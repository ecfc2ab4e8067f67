"""A provider's refusal reaches the caller as a 4xx in the provider's words."""

import pytest

from tests.backends.conftest import ec2_entry, openstack_entry


@pytest.fixture
def farm_config(moto):
    return {'aws': ec2_entry(moto)}


def test_unknown_image_is_400_naming_cloud_and_provider_message(client):
    response = client.post('/v1/clouds/aws/nodes', json={
        'name': 'x-1', 'size': 't2.micro', 'image': 'ami-00000000'})
    assert response.status_code == 400, response.get_json()
    error = response.get_json()['error']
    assert error['cloud'] == 'aws' and error['field'] == 'image'
    assert "'aws'" in error['message']
    assert 'InvalidAMIID' in error['message']
    assert 'ami-00000000' in error['message']


def test_refused_operation_is_4xx_with_the_provider_message(client, moto):
    node = client.post('/v1/clouds/aws/nodes', json={
        'name': 'x-2', 'size': 't2.micro', 'image': moto.image_id()}
    ).get_json()['node']
    volume = client.post('/v1/clouds/aws/volumes', json={
        'name': 'in-use', 'size': 1}).get_json()['volume']
    assert client.post('/v1/clouds/aws/volumes/%s/attach' % volume['id'],
                       json={'node_id': node['id']}).status_code == 202
    response = client.delete('/v1/clouds/aws/volumes/%s' % volume['id'])
    assert 400 <= response.status_code < 500, response.get_json()
    error = response.get_json()['error']
    assert error['cloud'] == 'aws'
    assert 'VolumeInUse' in error['message'], error


def test_unknown_image_on_openstack_is_400_with_nova_message(
        tmp_path, mimic):
    from dispatcher import create_app
    user, tenant = mimic.account()
    app = create_app({
        'TESTING': True, 'INSTANCE_PATH': str(tmp_path), 'LOG_LEVEL': 'ERROR',
        'CLOUD_FARM': {'os': openstack_entry(mimic.auth_url, user, tenant)}})
    try:
        client = app.test_client()
        size = client.get('/v1/clouds/os/sizes?limit=1').get_json()
        response = client.post('/v1/clouds/os/nodes', json={
            'name': 'x-3', 'size': size['sizes'][0]['id'],
            'image': 'no-such-image'})
    finally:
        app.extensions['dispatcher.farm'].close()
    assert response.status_code == 400, response.get_json()
    error = response.get_json()['error']
    assert error['cloud'] == 'os' and error['field'] == 'image'
    assert 'Image not found' in error['message']
