"""EC2 and Eucalyptus on moto: what boto3 sees of what the service does,
and the provider's refusals in its own words."""

import pytest

from tests.backends.farm_entries import ec2_entry


@pytest.fixture
def farm_config(moto):
    return {'aws': ec2_entry(moto), 'euca': ec2_entry(moto, 'eucalyptus')}


@pytest.fixture
def ec2(moto):
    """boto3's EC2 client on the same moto server."""
    return moto.boto3_client()


def _create(client, moto, cloud='aws', name='web-1', size='t2.micro'):
    response = client.post(
        '/v1/clouds/%s/nodes' % cloud,
        json={'name': name, 'size': size, 'image': moto.image_id()},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()['node']


def _instance(ec2, instance_id):
    found = ec2.describe_instances(InstanceIds=[instance_id])
    return found['Reservations'][0]['Instances'][0]


def _name_tag(resource):
    return {t['Key']: t['Value'] for t in resource.get('Tags', [])}.get('Name')


def test_created_node_exists_with_its_name(client, moto, ec2):
    node = _create(client, moto, name='cross-web-1')
    instance = _instance(ec2, node['id'])
    assert _name_tag(instance) == 'cross-web-1'
    assert instance['ImageId'] == moto.image_id()
    assert instance['InstanceType'] == 't2.micro'


def test_stop_start_reboot_and_destroy_reach_the_instance(client, moto, ec2):
    node = _create(client, moto)
    url = '/v1/clouds/aws/nodes/%s' % node['id']
    assert client.get(url).get_json()['node']['state'] == 'running'
    assert (
        client.post(url + '/action', json={'action': 'stop'}).status_code
        == 202
    )
    assert _instance(ec2, node['id'])['State']['Name'] == 'stopped'
    assert (
        client.post(url + '/action', json={'action': 'start'}).status_code
        == 202
    )
    assert _instance(ec2, node['id'])['State']['Name'] in (
        'pending',
        'running',
    )
    assert client.get(url).get_json()['node']['state'] == 'running'
    response = client.post(url + '/action', json={'action': 'reboot'})
    assert response.status_code == 202, response.get_json()
    assert _instance(ec2, node['id'])['State']['Name'] == 'running'
    assert client.delete(url).status_code == 202
    assert _instance(ec2, node['id'])['State']['Name'] == 'terminated'


def test_instance_made_by_boto3_is_listed_with_its_name(client, moto, ec2):
    made = ec2.run_instances(
        ImageId=moto.image_id(),
        InstanceType='t2.micro',
        MinCount=1,
        MaxCount=1,
        TagSpecifications=[
            {
                'ResourceType': 'instance',
                'Tags': [{'Key': 'Name', 'Value': 'from-boto3'}],
            }
        ],
    )['Instances'][0]
    nodes = client.get('/v1/clouds/aws/nodes').get_json()['nodes']
    listed = [n for n in nodes if n['id'] == made['InstanceId']]
    assert len(listed) == 1
    assert listed[0]['name'] == 'from-boto3'
    assert listed[0]['size'] == 't2.micro'


def test_key_pairs_made_and_deleted_by_the_service(client, ec2):
    created = client.post('/v1/clouds/aws/key_pairs', json={'name': 'kp-a'})
    assert created.status_code == 201
    pairs = ec2.describe_key_pairs()['KeyPairs']
    assert [p['KeyFingerprint'] for p in pairs if p['KeyName'] == 'kp-a'] == [
        created.get_json()['key_pair']['fingerprint']
    ]
    assert client.delete('/v1/clouds/aws/key_pairs/kp-a').status_code == 204
    assert 'kp-a' not in [
        p['KeyName'] for p in ec2.describe_key_pairs()['KeyPairs']
    ]


def test_volume_name_tag_attachment_and_detachment(client, moto, ec2):
    node = _create(client, moto)
    created = client.post(
        '/v1/clouds/aws/volumes', json={'name': 'data-1', 'size': 2}
    )
    assert created.status_code == 201, created.get_json()
    volume_id = created.get_json()['volume']['id']
    seen = ec2.describe_volumes(VolumeIds=[volume_id])['Volumes'][0]
    assert _name_tag(seen) == 'data-1' and seen['Size'] == 2
    attached = client.post(
        '/v1/clouds/aws/volumes/%s/attach' % volume_id,
        json={'node_id': node['id']},
    )
    assert attached.status_code == 202, attached.get_json()
    seen = ec2.describe_volumes(VolumeIds=[volume_id])['Volumes'][0]
    assert [(a['InstanceId'], a['Device']) for a in seen['Attachments']] == [
        (node['id'], attached.get_json()['volume']['device'])
    ]
    detached = client.post('/v1/clouds/aws/volumes/%s/detach' % volume_id)
    assert detached.status_code == 202, detached.get_json()
    seen = ec2.describe_volumes(VolumeIds=[volume_id])['Volumes'][0]
    assert seen['Attachments'] == [] and seen['State'] == 'available'


def test_eucalyptus_node_lifecycle_reaches_the_instance(client, moto, ec2):
    node = _create(client, moto, cloud='euca', name='euca-1', size='m1.small')
    instance = _instance(ec2, node['id'])
    assert _name_tag(instance) == 'euca-1'
    assert instance['InstanceType'] == 'm1.small'
    assert (
        client.delete('/v1/clouds/euca/nodes/%s' % node['id']).status_code
        == 202
    )
    assert _instance(ec2, node['id'])['State']['Name'] == 'terminated'


def test_unknown_image_is_400_naming_cloud_and_provider_message(client):
    response = client.post(
        '/v1/clouds/aws/nodes',
        json={'name': 'x-1', 'size': 't2.micro', 'image': 'ami-00000000'},
    )
    assert response.status_code == 400, response.get_json()
    error = response.get_json()['error']
    assert error['cloud'] == 'aws' and error['field'] == 'image'
    assert "'aws'" in error['message']
    assert 'InvalidAMIID' in error['message']
    assert 'ami-00000000' in error['message']


def test_refused_operation_is_4xx_with_the_provider_message(client, moto):
    node = _create(client, moto)
    volume = client.post(
        '/v1/clouds/aws/volumes', json={'name': 'in-use', 'size': 1}
    ).get_json()['volume']
    assert (
        client.post(
            '/v1/clouds/aws/volumes/%s/attach' % volume['id'],
            json={'node_id': node['id']},
        ).status_code
        == 202
    )
    response = client.delete('/v1/clouds/aws/volumes/%s' % volume['id'])
    assert 400 <= response.status_code < 500, response.get_json()
    error = response.get_json()['error']
    assert error['cloud'] == 'aws'
    assert 'VolumeInUse' in error['message'], error
