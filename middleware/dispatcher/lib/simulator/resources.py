"""Key pair and volume operations of :class:`~.driver.SimulatorNodeDriver`.

Mixins kept apart from the node operations only to keep modules short; they
use the driver's ``_store``, ``_node_row`` and ``_location_id``.
"""

import re
import sqlite3
import time
import uuid

from libcloud.compute.base import KeyPair, StorageVolume
from libcloud.compute.types import StorageVolumeState

from . import keys
from .faults import bad_request, conflict, not_found, operation
from .store import to_datetime

AVAILABLE = StorageVolumeState.AVAILABLE.value
INUSE = StorageVolumeState.INUSE.value
DEVICES = tuple('/dev/vd%s' % letter for letter in 'bcdefghijklmnopqrstuvwxyz')
MAX_VOLUME_GB = 16384


def _check_name(kind, name):
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise bad_request(
            '%s name must be a non-empty string of at most 255 '
            'characters' % kind
        )
    return name


class KeyPairOperations(object):
    """SSH key pairs; only public keys and fingerprints are ever stored."""

    @operation
    def list_key_pairs(self):
        """Return every key pair, in creation order (no private keys)."""
        with self._store.read() as db:
            rows = db.execute('SELECT * FROM key_pairs ORDER BY seq')
            return [self._to_key_pair(row) for row in rows.fetchall()]

    @operation
    def get_key_pair(self, name):
        """Return the key pair ``name``; 404 ``BaseHTTPError`` if unknown."""
        with self._store.read() as db:
            row = db.execute(
                'SELECT * FROM key_pairs WHERE name = ?', (str(name),)
            ).fetchone()
        if row is None:
            raise not_found('key pair %r not found' % name)
        return self._to_key_pair(row)

    @operation
    def create_key_pair(self, name):
        """Generate an Ed25519 key pair; the result carries ``private_key``.

        The private key is returned once and never stored.
        """
        _check_name('key pair', name)
        private_key, public_key = keys.generate_ed25519(name)
        return self._insert_key_pair(name, public_key, private_key)

    @operation
    def import_key_pair_from_string(self, name, key_material):
        """Register an existing OpenSSH public key under ``name``.

        Material that is not one OpenSSH public key raises a 400
        ``BaseHTTPError``.
        """
        _check_name('key pair', name)
        try:
            public_key = keys.parse_public_key(key_material)
        except ValueError:
            raise bad_request(
                'key material for %r is not a valid OpenSSH public key' % name
            ) from None
        return self._insert_key_pair(name, public_key)

    @operation
    def delete_key_pair(self, key_pair):
        """Delete a key pair (object or name); 404 if unknown."""
        name = str(getattr(key_pair, 'name', key_pair))
        with self._store.write() as db:
            cursor = db.execute(
                'DELETE FROM key_pairs WHERE name = ?', (name,)
            )
            if cursor.rowcount == 0:
                raise not_found('key pair %r not found' % name)
        return True

    def _insert_key_pair(self, name, public_key, private_key=None):
        try:
            with self._store.write() as db:
                cursor = db.execute(
                    'INSERT INTO key_pairs (name, public_key, fingerprint,'
                    ' created_at) VALUES (?, ?, ?, ?)',
                    (
                        name,
                        public_key,
                        keys.fingerprint(public_key),
                        time.time(),
                    ),
                )
                row = db.execute(
                    'SELECT * FROM key_pairs WHERE seq = ?',
                    (cursor.lastrowid,),
                ).fetchone()
        except sqlite3.IntegrityError:
            raise conflict('key pair %r already exists' % name) from None
        return self._to_key_pair(row, private_key)

    def _to_key_pair(self, row, private_key=None):
        return KeyPair(
            name=row['name'],
            public_key=row['public_key'],
            fingerprint=row['fingerprint'],
            driver=self,
            private_key=private_key,
            extra={
                'type': keys.key_type(row['public_key']),
                'created_at': to_datetime(row['created_at']).isoformat(),
            },
        )


class VolumeOperations(object):
    """Block storage volumes that attach to nodes in the same location."""

    @operation
    def list_volumes(self):
        """Return every volume, in creation order."""
        with self._store.read() as db:
            rows = db.execute('SELECT * FROM volumes ORDER BY seq')
            return [self._to_volume(row) for row in rows.fetchall()]

    @operation
    def ex_get_volume(self, volume_id):
        """Return volume ``volume_id``; 404 ``BaseHTTPError`` if unknown."""
        with self._store.read() as db:
            return self._to_volume(self._volume_row(db, volume_id))

    @operation
    def create_volume(self, size, name, location=None, snapshot=None):
        """Create an AVAILABLE volume of ``size`` GB (a positive integer)."""
        if (
            isinstance(size, bool)
            or not isinstance(size, int)
            or not 0 < size <= MAX_VOLUME_GB
        ):
            raise bad_request(
                'volume size must be an integer number of GB '
                'between 1 and %d' % MAX_VOLUME_GB
            )
        _check_name('volume', name)
        if snapshot is not None:
            raise bad_request('volume snapshots are not supported')
        location_id = self._location_id(location)
        with self._store.write() as db:
            cursor = db.execute(
                'INSERT INTO volumes (id, name, size, location_id, state,'
                ' created_at) VALUES (?, ?, ?, ?, ?, ?)',
                (
                    str(uuid.uuid4()),
                    name,
                    size,
                    location_id,
                    AVAILABLE,
                    time.time(),
                ),
            )
            row = db.execute(
                'SELECT * FROM volumes WHERE seq = ?', (cursor.lastrowid,)
            ).fetchone()
        return self._to_volume(row)

    @operation
    def attach_volume(self, node, volume, device=None):
        """Attach an AVAILABLE volume to a node in the same location.

        ``device`` defaults to the node's first free one (/dev/vdb, ...).
        """
        with self._store.write() as db:
            node_row = self._node_row(db, node)
            row = self._volume_row(db, volume)
            if row['state'] != AVAILABLE:
                raise conflict(
                    'volume %r is already attached to node %r'
                    % (row['id'], row['node_id'])
                )
            if row['location_id'] != node_row['location_id']:
                raise bad_request(
                    'volume %r is in %s but node %r is in %s'
                    % (
                        row['id'],
                        row['location_id'],
                        node_row['id'],
                        node_row['location_id'],
                    )
                )
            used = {
                r['device']
                for r in db.execute(
                    'SELECT device FROM volumes WHERE node_id = ?',
                    (node_row['id'],),
                )
            }
            if device is None:
                free = [d for d in DEVICES if d not in used]
                if not free:
                    raise conflict(
                        'node %r has no free device' % node_row['id']
                    )
                device = free[0]
            elif not re.match(r'^/dev/vd[b-z]$', str(device)):
                raise bad_request(
                    'device %r is not a valid device name '
                    '(expected /dev/vdb to /dev/vdz)' % device
                )
            elif device in used:
                raise conflict(
                    'device %s is already in use on node %r'
                    % (device, node_row['id'])
                )
            db.execute(
                'UPDATE volumes SET state = ?, node_id = ?, device = ?'
                ' WHERE id = ?',
                (INUSE, node_row['id'], device, row['id']),
            )
        return True

    @operation
    def detach_volume(self, volume):
        """Detach an attached volume; 409 if it is not attached."""
        with self._store.write() as db:
            row = self._volume_row(db, volume)
            if row['state'] != INUSE:
                raise conflict('volume %r is not attached' % row['id'])
            db.execute(
                'UPDATE volumes SET state = ?, node_id = NULL,'
                ' device = NULL WHERE id = ?',
                (AVAILABLE, row['id']),
            )
        return True

    @operation
    def destroy_volume(self, volume):
        """Destroy a volume; 409 while it is attached."""
        with self._store.write() as db:
            row = self._volume_row(db, volume)
            if row['state'] == INUSE:
                raise conflict(
                    'volume %r is attached to node %r'
                    % (row['id'], row['node_id'])
                )
            if not self.keep_deleted:
                db.execute('DELETE FROM volumes WHERE id = ?', (row['id'],))
        return True

    def _volume_row(self, db, volume):
        volume_id = str(getattr(volume, 'id', volume))
        row = db.execute(
            'SELECT * FROM volumes WHERE id = ?', (volume_id,)
        ).fetchone()
        if row is None:
            raise not_found('volume %r not found' % volume_id)
        return row

    def _to_volume(self, row):
        extra = {
            'node_id': row['node_id'],
            'device': row['device'],
            'location': row['location_id'],
            'created_at': to_datetime(row['created_at']).isoformat(),
        }
        return StorageVolume(
            id=row['id'],
            name=row['name'],
            size=row['size'],
            driver=self,
            state=StorageVolumeState(row['state']),
            extra=extra,
        )
