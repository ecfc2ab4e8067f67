"""What the tests of ``mw stack-*`` and ``job-*`` share: template files,
stacks made through ``mw``, and a broken or slow cloud in the farm."""

import json

import yaml
from mw_runners import run_in_process

#: A cloud of the farm whose every node creation fails (HTTP 500).
BROKEN_CLOUD = {
    'ENGINE': 'simulator',
    'EXTRA_PARAMS': {
        'boot_time': 0.0,
        'fail_with': 'server_error',
        'failure_rate': 1.0,
        'fail_operations': ['create_node'],
    },
}


def template(name='web', count=1, clouds=('sim-b',), **group):
    """A one-group stack template."""
    body = {
        'name': 'front',
        'clouds': list(clouds),
        'size': 'small',
        'image': 'img-ubuntu-24.04',
        'count': count,
    }
    body.update(group)
    return {'name': name, 'groups': [body]}


def write_template(directory, body, file_name='stack.yaml'):
    """``body`` written to ``directory/file_name`` (YAML or JSON by the
    extension); its path as a string."""
    target = directory / file_name
    if file_name.endswith('.json'):
        target.write_text(json.dumps(body))
    else:
        target.write_text(yaml.safe_dump(body, sort_keys=False))
    return str(target)


def json_in_process(url, *args):
    """The decoded JSON of ``mw ARGS --json`` run in this process (to set
    the scene fast, whichever way the command under test runs)."""
    result = run_in_process(list(args) + ['--json'], url=url)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def make_stack(url, directory, name='web', wait=True, **group):
    """A stack made with ``mw stack-create``; its ``{stack, job}``."""
    args = [
        'stack-create',
        '-f',
        write_template(directory, template(name, **group), '%s.yaml' % name),
    ]
    return json_in_process(url, *(args + (['--wait'] if wait else [])))


def stop_jobs(app):
    """Stop the jobs still running on ``app`` (before its clouds close)."""
    app.extensions['dispatcher.jobs'].shutdown(wait=True)


def plain_lines(text):
    """The lines of a non-terminal status output, checked to be plain."""
    assert '\r' not in text and '\x1b' not in text
    return text.splitlines()
