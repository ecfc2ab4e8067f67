"""``mw --help``, ``mw COMMAND --help`` and shell completion."""

import subprocess
import sys

import click
import pytest
from mw_runners import ROOT, process_env

from dispatcher.cli import COMMAND_MODULES, main

COMMANDS = sorted(main.commands)

#: Every client command the brief of the CLI names.
EXPECTED = {
    'cloud-list',
    'cloud-show',
    'provider-list',
    'provider-show',
    'node-list',
    'node-show',
    'node-create',
    'node-reboot',
    'node-start',
    'node-stop',
    'node-delete',
    'image-list',
    'size-list',
    'location-list',
    'keypair-list',
    'keypair-create',
    'keypair-import',
    'keypair-delete',
    'volume-list',
    'volume-create',
    'volume-attach',
    'volume-detach',
    'volume-delete',
    'serve',
}


def test_every_command_is_there():
    assert EXPECTED <= set(COMMANDS)


def test_every_command_comes_from_a_listed_module():
    modules = {main.commands[name].callback.__module__ for name in COMMANDS}
    assert modules <= set(COMMAND_MODULES) | {'dispatcher.cli.resources'}


def test_group_help_explains_options_exit_status_and_completion(run_mw):
    result = run_mw(['--help'])
    assert result.exit_code == 0
    for text in (
        '--url',
        'MW_URL',
        '--token',
        'MW_TOKEN',
        '--json',
        'Exit status',
        '3  the service cannot be reached',
        'eval "$(_MW_COMPLETE=bash_source mw)"',
        'node-create',
    ):
        assert text in result.stdout


@pytest.mark.parametrize('name', COMMANDS)
def test_every_option_of_every_command_is_explained(name):
    command = main.commands[name]
    assert command.help, name
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, '%s %s' % (name, param.opts)
    result = click.testing.CliRunner().invoke(
        main, [name, '--help'], prog_name='mw'
    )
    assert result.exit_code == 0
    assert result.stdout.startswith('Usage: mw %s ' % name)


def complete(words, cword, url=None):
    env = process_env(
        url,
        _MW_COMPLETE='bash_complete',
        COMP_WORDS=words,
        COMP_CWORD=str(cword),
    )
    completed = subprocess.run(
        [sys.executable, '-m', 'dispatcher.cli'],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.split()


def test_bash_completion_of_commands_and_options():
    assert complete('mw node-s', 1) == [
        'plain,node-show',
        'plain,node-start',
        'plain,node-stop',
    ]
    assert 'plain,--private-key-file' in complete('mw keypair-create --p', 2)


def test_bash_completion_of_cloud_names_asks_the_service(live_server):
    assert complete('mw image-list ', 2, live_server.url) == [
        'plain,default',
        'plain,sim-b',
        'plain,dummy',
    ]
    assert complete('mw node-list --cloud s', 3, live_server.url) == [
        'plain,sim-b'
    ]


def test_bash_completion_without_a_service_completes_nothing():
    assert complete('mw image-list ', 2, 'http://127.0.0.1:9') == []


def test_bash_source_prints_the_completion_script():
    env = process_env(None, _MW_COMPLETE='bash_source')
    completed = subprocess.run(
        [sys.executable, '-m', 'dispatcher.cli'],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert completed.returncode == 0
    assert 'complete -o nosort -F _mw_completion mw' in completed.stdout


def test_version(run_mw):
    result = run_mw(['--version'])
    assert result.exit_code == 0
    assert result.stdout.startswith('mw, version ')
