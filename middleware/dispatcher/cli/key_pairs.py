"""``keypair-*``: the SSH key pairs of one cloud."""

import os

import click

from dispatcher.cli.api_client import path
from dispatcher.cli.errors import CommandFailed
from dispatcher.cli.resources import list_command, report, show_object
from dispatcher.cli.session import cloud_argument, json_option, pass_session

KEY_PAIR_COLUMNS = [('Name', 'name'), ('Fingerprint', 'fingerprint')]

KEY_PAIRS_ROUTE = '/v1/clouds/{cloud}/key_pairs'

keypair_list = list_command(
    'keypair-list',
    KEY_PAIRS_ROUTE,
    'key_pairs',
    KEY_PAIR_COLUMNS,
    'List the key pairs of CLOUD (public parts only).',
    arguments=['cloud'],
    filters=('name',),
    fresh=True,
)


def _open_private_key_file(filename):
    """``filename`` created for the owner only (0600); never overwritten."""
    try:
        descriptor = os.open(
            filename, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
        )
    except FileExistsError:
        raise click.BadParameter(
            '%s exists; the private key is never '
            'written over a file' % filename,
            param_hint='--private-key-file',
        )
    except OSError as exc:
        raise click.BadParameter(
            'cannot create %s: %s' % (filename, exc.strerror),
            param_hint='--private-key-file',
        )
    # The mode of a new file is masked by the umask; make it exactly 0600.
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, 'w')


@click.command('keypair-create')
@cloud_argument
@click.argument('name')
@click.option(
    '--private-key-file',
    type=click.Path(dir_okay=False),
    help='Write the private key to this new file (mode 0600) '
    'instead of printing it.',
)
@json_option
@pass_session
def keypair_create(session, cloud, name, private_key_file):
    """Create key pair NAME on CLOUD and hand out its private key once.

    The service does not keep the private key: it is printed here (or
    written to --private-key-file) and never again.
    """
    handle = (
        _open_private_key_file(private_key_file) if private_key_file else None
    )
    try:
        answer = session.client.post(
            path(KEY_PAIRS_ROUTE, cloud=cloud), {'name': name}
        )
    except BaseException:
        if handle is not None:
            handle.close()
            os.unlink(private_key_file)
        raise
    key_pair = answer['key_pair']
    private_key = key_pair.get('private_key')
    if not private_key:
        if handle is not None:
            handle.close()
            os.unlink(private_key_file)
        show_object(session, answer, 'key_pair')
        raise CommandFailed(
            'cloud %s created key pair %s without handing '
            'out its private key' % (cloud, name)
        )
    if handle is None:
        if session.json_output:
            show_object(session, answer, 'key_pair')
        else:
            click.echo(private_key.rstrip('\n'))
        return
    with handle:
        handle.write(private_key)
    public = {k: v for k, v in key_pair.items() if k != 'private_key'}
    show_object(session, dict(answer, key_pair=public), 'key_pair')
    if not session.json_output:
        click.echo('private key written to %s' % private_key_file)


@click.command('keypair-import')
@cloud_argument
@click.argument('name')
@click.option(
    '--public-key-file',
    required=True,
    type=click.File('r', encoding='utf-8'),
    help='The OpenSSH public key to import, e.g. ~/.ssh/id_ed25519.pub.',
)
@json_option
@pass_session
def keypair_import(session, cloud, name, public_key_file):
    """Import an existing public key into CLOUD as key pair NAME."""
    public_key = public_key_file.read().strip()
    if not public_key:
        raise click.BadParameter(
            '%s is empty' % public_key_file.name,
            param_hint='--public-key-file',
        )
    answer = session.client.post(
        path(KEY_PAIRS_ROUTE, cloud=cloud),
        {'name': name, 'public_key': public_key},
    )
    show_object(session, answer, 'key_pair')


@click.command('keypair-delete')
@cloud_argument
@click.argument('name')
@json_option
@pass_session
def keypair_delete(session, cloud, name):
    """Delete key pair NAME from CLOUD."""
    answer = session.client.delete(
        path(KEY_PAIRS_ROUTE + '/{name}', cloud=cloud, name=name)
    )
    report(session, answer, 'key pair %s deleted from %s' % (name, cloud))


COMMANDS = [keypair_list, keypair_create, keypair_import, keypair_delete]
