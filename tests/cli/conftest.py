"""Running the real ``mw`` against the ``live_server`` of the test farm.

The ``mw`` fixture runs a command twice over, through click's CliRunner in
this process and as ``python -m dispatcher.cli`` in a child process, so
that every test checks both the command and the installed entry point's
behaviour (exit status, stdout, stderr).
"""

import collections
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dispatcher.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

#: What one run of ``mw`` gave.
Run = collections.namedtuple('Run', 'exit_code stdout stderr')


def process_env(url=None, **extra):
    """The environment of a child ``mw``: this one, minus ``MW_*``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('MW_')}
    env['PYTHONPATH'] = os.pathsep.join(
        [os.path.join(ROOT, 'middleware'), env.get('PYTHONPATH', '')])
    if url:
        env['MW_URL'] = url
    env.update(extra)
    return env


def run_in_process(args, url=None, input=None, env=None):
    """``mw args`` through CliRunner; exceptions other than exits propagate."""
    full_env = {'MW_URL': url, 'MW_TOKEN': None}
    full_env.update(env or {})
    result = CliRunner().invoke(main, list(args), input=input, env=full_env,
                                catch_exceptions=False, prog_name='mw')
    return Run(result.exit_code, result.stdout, result.stderr)


def run_as_process(args, url=None, input=None, env=None):
    """``python -m dispatcher.cli args`` in a child process."""
    completed = subprocess.run(
        [sys.executable, '-m', 'dispatcher.cli'] + list(args),
        input=input, capture_output=True, text=True, timeout=120,
        env=process_env(url, **(env or {})), cwd=ROOT)
    return Run(completed.returncode, completed.stdout, completed.stderr)


RUNNERS = {'in-process': run_in_process, 'subprocess': run_as_process}


@pytest.fixture(params=sorted(RUNNERS))
def run_mw(request):
    """``run_mw(args, url=None, input=None, env=None)``: one way of running
    ``mw`` (each test runs once per way)."""
    return RUNNERS[request.param]


@pytest.fixture
def mw(run_mw, live_server):
    """``mw(*args)`` against the live server (``MW_URL`` points at it)."""
    def run(*args, **kwargs):
        return run_mw(args, url=live_server.url, **kwargs)
    return run


@pytest.fixture
def mw_json(mw):
    """``mw_json(*args)``: the decoded stdout of ``mw ... --json``."""
    def run(*args):
        result = mw(*(args + ('--json',)))
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)
    return run
