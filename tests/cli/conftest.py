"""Running the real ``mw`` against the ``live_server`` of the test farm.

The ``mw`` fixture runs a command twice over, through click's CliRunner in
this process and as ``python -m dispatcher.cli`` in a child process, so
that every test checks both the command and the installed entry point's
behaviour (exit status, stdout, stderr).
"""

import json

import pytest
from mw_runners import run_as_process, run_in_process

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
