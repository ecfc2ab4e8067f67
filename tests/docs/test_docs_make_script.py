"""``make_mw_docs.sh``: its port, and its refusals before it builds.

A whole run (fake server, live answers, build) is CI's documentation step;
these are the quick paths that must fail clearly.
"""

import os
import socket
import subprocess

ROOT = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)
SCRIPT = os.path.join(ROOT, 'make_mw_docs.sh')


def run(*args, **env):
    return subprocess.run(
        ['bash', SCRIPT] + list(args),
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, **env),
    )


def test_help_describes_the_script():
    result = run('--help')
    assert result.returncode == 0
    assert '--port N' in result.stdout and 'MW_DOCS_PORT' in result.stdout


def test_a_port_in_use_is_refused_by_name():
    with socket.socket() as busy:
        busy.bind(('127.0.0.1', 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run('--port', str(port))
        from_env = run(MW_DOCS_PORT=str(port))
    for outcome in (result, from_env):
        assert outcome.returncode == 1
        assert 'port %d is in use' % port in outcome.stderr
        assert '--port' in outcome.stderr


def test_a_bad_port_is_a_usage_error():
    for args in (
        ['--port', 'abc'],
        ['--port', '70000'],
        ['--port'],
        ['--colour'],
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith('make_mw_docs: '), args
