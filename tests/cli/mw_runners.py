"""Ways of running the real ``mw``: in this process and as a child."""

import collections
import os
import subprocess
import sys

from click.testing import CliRunner

from dispatcher.cli import main

ROOT = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)

#: What one run of ``mw`` gave.
Run = collections.namedtuple('Run', 'exit_code stdout stderr')


def process_env(url=None, **extra):
    """The environment of a child ``mw``: this one, minus ``MW_*`` but for
    ``MW_TOKEN`` (the ``live_server`` fixture sets it)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith('MW_') or k == 'MW_TOKEN'
    }
    env['PYTHONPATH'] = os.pathsep.join(
        [os.path.join(ROOT, 'middleware'), env.get('PYTHONPATH', '')]
    )
    if url:
        env['MW_URL'] = url
    env.update(extra)
    return env


def run_in_process(args, url=None, input=None, env=None):
    """``mw args`` through CliRunner; exceptions other than exits propagate."""
    full_env = {'MW_URL': url, 'MW_TOKEN': os.environ.get('MW_TOKEN')}
    full_env.update(env or {})
    result = CliRunner().invoke(
        main,
        list(args),
        input=input,
        env=full_env,
        catch_exceptions=False,
        prog_name='mw',
    )
    return Run(result.exit_code, result.stdout, result.stderr)


def run_as_process(args, url=None, input=None, env=None):
    """``python -m dispatcher.cli args`` in a child process."""
    completed = subprocess.run(
        [sys.executable, '-m', 'dispatcher.cli'] + list(args),
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
        env=process_env(url, **(env or {})),
        cwd=ROOT,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)
