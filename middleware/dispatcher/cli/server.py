"""``mw serve``: the service itself, on Flask's server or gunicorn.

One worker (the default) runs Flask's development server, threaded; more
run gunicorn with that many worker processes, each serving
``dispatcher.create_app()`` as ``gunicorn dispatcher:app`` would.  With no
settings at all the service starts on the built-in farm of simulated
clouds.
"""

import os
import shutil
import signal
import socket
import sys

import click

from dispatcher import close_app, config
from dispatcher.cli.errors import CommandFailed

#: Seconds gunicorn lets a worker run one request beyond the provider
#: timeout before it kills the worker as stuck.
WORKER_TIMEOUT_MARGIN = 30

#: Requests each gunicorn worker serves at once, on threads: a slow client
#: holds one thread, not the whole worker (docs/deployment.rst).
THREADS_PER_WORKER = 8


def _address(host, port):
    return 'http://%s:%d' % ('[%s]' % host if ':' in host else host, port)


def check_can_listen(host, port):
    """Fail clearly, before anything starts, if ``host:port`` is taken."""
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandFailed(
                'cannot listen on %s: %s'
                % (_address(host, port), exc.strerror or exc)
            )


def _describe_farm(app):
    parts = []
    for cloud in app.extensions['dispatcher.farm']:
        described = cloud.describe()
        if described.get('status') == 'available':
            parts.append(
                '%s (%s)' % (described['name'], described['provider'])
            )
        else:
            parts.append(
                '%s (unavailable: %s)'
                % (described['name'], described.get('reason'))
            )
    return ', '.join(parts) or 'none'


def run_development_server(host, port):
    """Flask's threaded server on ``host:port`` until interrupted."""
    from dispatcher import create_app

    app = create_app()
    click.echo(
        'mw: serving the API on %s with the Flask development '
        'server (use --workers N for gunicorn)' % _address(host, port)
    )
    click.echo('mw: clouds: %s' % _describe_farm(app))
    sys.stdout.flush()
    # Stop cleanly on SIGTERM as on Ctrl-C: close the server and the farm.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        close_app(app)


def _share_metrics(settings):
    """Let every worker count into one folder, so that ``/metrics`` answers
    for the whole server (prometheus-client's multi-process mode), unless
    the operator named one.  Done before any worker imports the metrics."""
    if os.environ.get('PROMETHEUS_MULTIPROC_DIR'):
        return
    folder = os.path.join(config.instance_folder(settings), 'metrics')
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, mode=0o700)
    os.environ['PROMETHEUS_MULTIPROC_DIR'] = folder


def _worker_gone(server, worker):
    from dispatcher import metrics

    metrics.process_gone(worker.pid)


def run_gunicorn(host, port, workers, settings):
    """gunicorn with ``workers`` processes on ``host:port``."""
    from dispatcher.cli.gunicorn_app import MiddlewareApplication

    try:
        provider_timeout = float(settings.get('PROVIDER_TIMEOUT', 30))
    except (TypeError, ValueError):
        provider_timeout = 30.0
    options = {
        'bind': ['%s:%d' % ('[%s]' % host if ':' in host else host, port)],
        'workers': workers,
        'threads': THREADS_PER_WORKER,
        'timeout': int(provider_timeout) + WORKER_TIMEOUT_MARGIN,
        'graceful_timeout': 10,
        'proc_name': 'mw',
        'child_exit': _worker_gone,
    }
    click.echo(
        'mw: serving the API on %s with gunicorn, %d workers of %d threads'
        % (_address(host, port), workers, THREADS_PER_WORKER)
    )
    click.echo('mw: clouds: %s' % ', '.join(settings.get('CLOUD_FARM') or {}))
    sys.stdout.flush()
    MiddlewareApplication(options).run()


@click.command('serve')
@click.option(
    '--host',
    metavar='ADDRESS',
    help='Address to listen on.  [default: HOST of the settings, 127.0.0.1]',
)
@click.option(
    '--port',
    type=click.IntRange(1, 65535),
    help='Port to listen on.  [default: PORT of the settings, 5070]',
)
@click.option(
    '--workers',
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="1: Flask's development server; more: gunicorn with "
    'this many worker processes.',
)
@click.option(
    '--settings',
    'settings_file',
    metavar='FILE',
    type=click.Path(exists=True, dir_okay=False),
    help='The settings file (Python; see settings.example.py). '
    'Default: the file named by MW_SETTINGS, else the '
    'built-in farm of simulated clouds.',
)
def serve(host, port, workers, settings_file):
    """Run the service: the v1 HTTP API over the farm of clouds.

    Settings come from the built-in defaults, then --settings (or
    MW_SETTINGS), then MW_* environment variables such as
    MW_INSTANCE_PATH.  Stop it with Ctrl-C (or SIGTERM).
    """
    try:
        settings = config.use_settings_file(settings_file)
    except config.SettingsError as exc:
        raise CommandFailed(str(exc))
    if workers > 1:
        # Before anything imports the metrics, so that gunicorn's workers
        # inherit a process that counts into the shared folder.
        _share_metrics(settings)
    from dispatcher.api.access import serving_host

    host = host or str(settings.get('HOST') or '127.0.0.1')
    try:
        # Without authentication, only this machine may connect.
        host = serving_host(settings, host)
        port = port or int(settings.get('PORT') or 5070)
    except config.SettingsError as exc:
        raise CommandFailed(str(exc))
    except (TypeError, ValueError):
        raise CommandFailed(
            'PORT of the settings must be a port number, '
            'got %r' % settings.get('PORT')
        )
    check_can_listen(host, port)
    # The app (and every gunicorn worker) sees where it really listens,
    # e.g. in the first-run token's example command.
    os.environ['MW_HOST'], os.environ['MW_PORT'] = host, str(port)
    if workers == 1:
        run_development_server(host, port)
    else:
        run_gunicorn(host, port, workers, settings)


COMMANDS = [serve]
