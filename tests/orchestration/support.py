"""What the orchestration tests share: waiting, templates, provider state."""

import os
import time

from dispatcher.lib.simulator import SimulatorNodeDriver

FINAL = ('succeeded', 'failed', 'cancelled')


def template(name='web', count=2, clouds=('default',), **group):
    """A one-group stack body."""
    body = {
        'name': 'front',
        'clouds': list(clouds),
        'size': 'small',
        'image': 'img-ubuntu-24.04',
        'count': count,
    }
    body.update(group)
    return {'name': name, 'groups': [body]}


def broken_group():
    """A group of one node on ``sim-broken``, whose creates all fail."""
    return {
        'name': 'db',
        'cloud': 'sim-broken',
        'size': 'small',
        'image': 'img-debian-12',
        'count': 1,
    }


def wait_for_job(client, job_id, timeout=60.0, headers=None):
    """The job once it has finished (the test fails past ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get('/v1/jobs/%s' % job_id, headers=headers)
        assert response.status_code == 200, response.json
        job = response.json['job']
        if job['status'] in FINAL:
            return job
        assert time.monotonic() < deadline, 'job %s still %s' % (
            job_id,
            job['status'],
        )
        time.sleep(0.05)


def create(client, body, expect='succeeded'):
    """POST a stack, wait for its job; ``(stack, job)`` at the end."""
    response = client.post('/v1/stacks', json=body)
    assert response.status_code == 202, response.json
    job = wait_for_job(client, response.json['job']['id'])
    assert job['status'] == expect, job
    stack = client.get(response.headers['Location']).json['stack']
    return stack, job


def provider(instance_path, cloud):
    """A driver on the simulated cloud's own state file."""
    return SimulatorNodeDriver(
        'tests',
        state_path=os.path.join(
            instance_path, 'simulator', '%s.sqlite' % cloud
        ),
    )


def provider_nodes(instance_path, cloud):
    """``{id: name}`` of the nodes that exist at the simulated cloud."""
    return {
        node.id: node.name
        for node in provider(instance_path, cloud).list_nodes()
    }
