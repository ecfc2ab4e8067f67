"""mimic's own virtual environment, created on demand.

mimic 2.2.0 needs ``attrs<23``, a pin the project's environment must not
inherit, so mimic lives in a virtual environment of its own, cached across
runs (``$XDG_CACHE_HOME/mw-test/mimic-venv``, or ``MW_MIMIC_VENV``).  CI
creates it ahead (``python3 tests/backends/mimic_venv.py``); a test run
creates it the first time it needs mimic.  A marker file written last says
the environment is complete; a half-built one is built again.
"""

import fcntl
import os
import shutil
import subprocess
import sys

#: What mimic's environment holds.
REQUIREMENTS = ('mimic==2.2.0', 'attrs<23')
_MARKER = '.mw-complete'


class VenvError(Exception):
    """The environment could not be built; the message says why."""


def venv_dir():
    """Where mimic's environment lives."""
    if os.environ.get('MW_MIMIC_VENV'):
        return os.environ['MW_MIMIC_VENV']
    cache = os.environ.get('XDG_CACHE_HOME') or os.path.join(
        os.path.expanduser('~'), '.cache'
    )
    return os.path.join(cache, 'mw-test', 'mimic-venv')


def twistd(path=None):
    """The ``twistd`` program of the environment at ``path``."""
    return os.path.join(path or venv_dir(), 'bin', 'twistd')


def is_complete(path=None):
    """Whether the environment at ``path`` holds :data:`REQUIREMENTS`."""
    path = path or venv_dir()
    try:
        with open(os.path.join(path, _MARKER)) as handle:
            return handle.read().split('\n') == list(
                REQUIREMENTS
            ) and os.access(twistd(path), os.X_OK)
    except OSError:
        return False


def _run(args, log):
    result = subprocess.run(args, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise VenvError(
            '%s failed with status %d'
            % (' '.join(args[:4]), result.returncode)
        )


def ensure_venv(path=None, python=None):
    """Build the environment unless complete; returns its ``twistd``.

    :raises VenvError: with the end of pip's output.
    """
    path = path or venv_dir()
    if is_complete(path):
        return twistd(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    log_path = path + '.log'
    with open(path + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_complete(path):
            return twistd(path)
        shutil.rmtree(path, ignore_errors=True)
        with open(log_path, 'w') as log:
            try:
                _run([python or sys.executable, '-m', 'venv', path], log)
                _run(
                    [
                        os.path.join(path, 'bin', 'python'),
                        '-m',
                        'pip',
                        'install',
                        '--quiet',
                        '--disable-pip-version-check',
                    ]
                    + list(REQUIREMENTS),
                    log,
                )
            except (VenvError, OSError) as exc:
                log.flush()
                with open(log_path) as output:
                    raise VenvError(
                        '%s; pip said: %s' % (exc, output.read()[-1500:])
                    )
        with open(os.path.join(path, _MARKER), 'w') as marker:
            marker.write('\n'.join(REQUIREMENTS))
    return twistd(path)


if __name__ == '__main__':
    try:
        print(ensure_venv())
    except VenvError as error:
        sys.exit('mimic environment: %s' % error)
