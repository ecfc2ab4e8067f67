"""``mw docs-build``: the HTML documentation, built for ``/docs/``."""

import click

from dispatcher import config
from dispatcher.cli.db import settings_option
from dispatcher.cli.errors import CommandFailed


@click.command('docs-build')
@settings_option
@click.option(
    '--to',
    'target',
    metavar='DIR',
    type=click.Path(file_okay=False),
    help='Build into this folder instead (serve it with DOCS_PATH).',
)
def docs_build(settings_file, target):
    """Build the HTML documentation, for the service's /docs/.

    Whatever the install (pip install ., a wheel, or a checkout), the
    site goes into the instance folder (docs-html), where the service
    serves it at /docs/ without further settings.  Needs the docs extra:
    pip install 'mw-dispatcher[docs]'.
    """
    from dispatcher.docs_support import site

    try:
        settings = config.use_settings_file(settings_file)
    except config.SettingsError as exc:
        raise CommandFailed(str(exc))
    target = target or site.instance_site(config.instance_folder(settings))
    click.echo('mw: building the documentation into %s ...' % target)
    try:
        site.build(target)
    except site.DocsBuildError as exc:
        raise CommandFailed(str(exc))
    click.echo('mw: done; the service serves it at /docs/')


COMMANDS = [docs_build]
