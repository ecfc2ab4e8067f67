"""``SimulatorNodeDriver``: a stateful simulated cloud behind the libcloud API.

State lives in a SQLite file (see :mod:`.store`), node states are derived
lazily from stored timestamps, and every public operation first goes through
latency and fault injection (see :mod:`.faults`).  No network is ever used.
"""

import math
import time
import uuid

from libcloud.common.base import ConnectionUserAndKey
from libcloud.compute.base import (
    Node,
    NodeDriver,
    NodeImage,
    NodeLocation,
    NodeSize,
)
from libcloud.compute.types import NodeState, StorageVolumeState

from . import catalogue
from .faults import (
    FAULT_KINDS,
    FaultInjector,
    bad_request,
    conflict,
    not_found,
    operation,
)
from .resources import KeyPairOperations, VolumeOperations
from .store import Store, to_datetime


class SimulatorConnection(ConnectionUserAndKey):
    """Connection object required by ``NodeDriver``; never sends anything."""

    host = 'simulator.invalid'

    def connect(self, host=None, port=None, base_url=None, **kwargs):
        self.connection = None


def _check_number(name, value, minimum=0.0, maximum=None, positive=False):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or math.isnan(value)
        or value < minimum
        or (positive and value == 0)
        or (maximum is not None and value > maximum)
    ):
        bound = '> 0' if positive else '>= %s' % minimum
        if maximum is not None:
            bound = 'between %s and %s' % (minimum, maximum)
        raise ValueError(
            '%s must be a number %s, got %r' % (name, bound, value)
        )
    return float(value)


class SimulatorNodeDriver(KeyPairOperations, VolumeOperations, NodeDriver):
    """A well-behaved simulated cloud with shared, persistent state."""

    type = 'simulator'
    name = 'Simulated cloud'
    website = 'https://libcloud.apache.org/'
    connectionCls = SimulatorConnection
    features = {'create_node': ['ssh_key']}

    # Stored node states that end by themselves, boot_time after they began.
    TRANSITIONAL = (NodeState.PENDING.value, NodeState.REBOOTING.value)

    def __init__(
        self,
        key,
        secret=None,
        secure=True,
        host=None,
        port=None,
        state_path=None,
        latency=0.0,
        boot_time=1.0,
        failure_rate=0.0,
        fail_with=None,
        fail_operations=None,
        retry_after=5,
        timeout=None,
        hang_seconds=None,
        expected_secret=None,
        seed=None,
        fail_until=None,
        fail_in_bursts=None,
        fail_first=None,
        keep_deleted=False,
        **kwargs,
    ):
        if state_path is None:
            raise ValueError(
                'state_path is required: the path of the '
                'SQLite file holding the simulated state'
            )
        self.latency = _check_number('latency', latency)
        self.boot_time = _check_number('boot_time', boot_time)
        failure_rate = _check_number('failure_rate', failure_rate, 0, 1)
        if fail_with is not None and fail_with not in FAULT_KINDS:
            raise ValueError(
                'fail_with must be one of %s, got %r'
                % (', '.join(FAULT_KINDS), fail_with)
            )
        if fail_operations is not None:
            if isinstance(fail_operations, str):
                raise ValueError(
                    'fail_operations must be a list of '
                    'operation names, not a string'
                )
            unknown = sorted(set(fail_operations) - self.operations())
            if unknown:
                raise ValueError(
                    'fail_operations names unknown operations: '
                    '%s' % ', '.join(map(str, unknown))
                )
        _check_number('retry_after', retry_after)
        if timeout is not None:
            timeout = _check_number('timeout', timeout, positive=True)
        if hang_seconds is not None:
            hang_seconds = _check_number('hang_seconds', hang_seconds)
        if expected_secret is not None and not isinstance(
            expected_secret, str
        ):
            raise ValueError('expected_secret must be a string')
        if fail_until is not None:
            fail_until = _check_number('fail_until', fail_until)
        if fail_in_bursts is not None:
            if not (
                isinstance(fail_in_bursts, (list, tuple))
                and len(fail_in_bursts) == 2
            ):
                raise ValueError(
                    'fail_in_bursts must be [seconds failing, period in '
                    'seconds], got %r' % (fail_in_bursts,)
                )
            fail_in_bursts = (
                _check_number('fail_in_bursts', fail_in_bursts[0]),
                _check_number(
                    'fail_in_bursts', fail_in_bursts[1], positive=True
                ),
            )
        if fail_first is not None and (
            isinstance(fail_first, bool)
            or not isinstance(fail_first, int)
            or fail_first < 1
        ):
            raise ValueError(
                'fail_first must be a whole number of calls, at least 1, '
                'got %r' % (fail_first,)
            )
        #: Deletes are answered as done, and the resource stays.
        self.keep_deleted = bool(keep_deleted)
        # NodeDriver passes (key, secret, secure, ...) positionally to the
        # connection class, which takes a user id and a key: give it both.
        super().__init__(
            key,
            '' if secret is None else secret,
            secure=secure,
            host=host,
            port=port,
            timeout=timeout,
            **kwargs,
        )
        self.secret = secret
        self.timeout = timeout
        self._store = Store.at(state_path)
        self.state_path = self._store.path
        self._faults = FaultInjector(
            host or SimulatorConnection.host,
            self.latency,
            failure_rate,
            fail_with,
            fail_operations,
            retry_after,
            timeout,
            hang_seconds,
            expected_secret,
            seed,
            fail_until,
            fail_in_bursts,
            fail_first,
            scope=self.state_path,
        )

    @classmethod
    def operations(cls):
        """Names of the public operations (what ``fail_operations`` takes)."""
        return frozenset(
            name
            for name in dir(cls)
            if getattr(getattr(cls, name), 'simulated', False)
        )

    # Catalogue

    @operation
    def list_images(self, location=None, ex_only_active=True):
        """Return the images offered by the simulated cloud."""
        return [self._to_image(row) for row in catalogue.IMAGES]

    @operation
    def get_image(self, image_id):
        """Return the image ``image_id``; 404 ``BaseHTTPError`` if unknown."""
        return self._to_image(
            self._catalogue_row(
                'image', image_id, catalogue.IMAGES_BY_ID, not_found
            )
        )

    @operation
    def list_sizes(self, location=None):
        """Return the node sizes offered by the simulated cloud."""
        return [self._to_size(row) for row in catalogue.SIZES]

    @operation
    def list_locations(self):
        """Return the zones of the simulated cloud (the first is default)."""
        return [self._to_location(row) for row in catalogue.LOCATIONS]

    # Nodes

    @operation
    def list_nodes(self):
        """Return every live node, in creation order."""
        now = time.time()
        with self._store.read() as db:
            rows = db.execute('SELECT * FROM nodes ORDER BY seq').fetchall()
        return [self._to_node(row, now) for row in rows]

    @operation
    def ex_get_node(self, node_id):
        """Return the node ``node_id``; 404 ``BaseHTTPError`` if unknown."""
        with self._store.read() as db:
            row = self._node_row(db, node_id)
        return self._to_node(row, time.time())

    @operation
    def create_node(
        self,
        name,
        size,
        image,
        location=None,
        auth=None,
        ex_keyname=None,
        **kwargs,
    ):
        """Create a node; it is PENDING, then RUNNING after ``boot_time``.

        ``size``, ``image``, ``location`` and ``ex_keyname`` may be libcloud
        objects or their ids (names for key pairs).  Unknown ones raise a 400
        ``BaseHTTPError``.  ``auth`` and other keyword arguments are accepted
        and ignored.
        """
        if not isinstance(name, str) or not name.strip():
            raise bad_request('node name must be a non-empty string')
        size_id = self._catalogue_row('size', size, catalogue.SIZES_BY_ID)[0]
        image_id = self._catalogue_row('image', image, catalogue.IMAGES_BY_ID)[
            0
        ]
        location_id = self._location_id(location)
        key_name = getattr(ex_keyname, 'name', ex_keyname)
        now = time.time()
        with self._store.write() as db:
            if (
                key_name is not None
                and not db.execute(
                    'SELECT 1 FROM key_pairs WHERE name = ?', (str(key_name),)
                ).fetchone()
            ):
                raise bad_request('key pair %r does not exist' % key_name)
            cursor = db.execute(
                'INSERT INTO nodes (id, name, size_id, image_id, location_id,'
                ' key_name, state, ready_at, created_at)'
                ' VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                (
                    str(uuid.uuid4()),
                    name,
                    size_id,
                    image_id,
                    location_id,
                    key_name,
                    NodeState.PENDING.value,
                    now + self.boot_time,
                    now,
                ),
            )
            row = db.execute(
                'SELECT * FROM nodes WHERE seq = ?', (cursor.lastrowid,)
            ).fetchone()
        return self._to_node(row, now)

    @operation
    def reboot_node(self, node):
        """Reboot a RUNNING node: REBOOTING, then RUNNING after boot_time."""
        return self._transition(
            node, 'reboot', NodeState.RUNNING, NodeState.REBOOTING
        )

    @operation
    def stop_node(self, node):
        """Stop a RUNNING node: it becomes STOPPED."""
        return self._transition(
            node, 'stop', NodeState.RUNNING, NodeState.STOPPED
        )

    @operation
    def start_node(self, node):
        """Start a STOPPED node: PENDING, then RUNNING after boot_time."""
        return self._transition(
            node, 'start', NodeState.STOPPED, NodeState.PENDING
        )

    @operation
    def destroy_node(self, node):
        """Destroy a node in any state, detaching its volumes."""
        if self.keep_deleted:
            self._node_row_readonly(node)
            return True
        with self._store.write() as db:
            row = self._node_row(db, node)
            db.execute(
                'UPDATE volumes SET state = ?, node_id = NULL,'
                ' device = NULL WHERE node_id = ?',
                (StorageVolumeState.AVAILABLE.value, row['id']),
            )
            db.execute('DELETE FROM nodes WHERE id = ?', (row['id'],))
        return True

    def _node_row_readonly(self, node):
        with self._store.read() as db:
            return self._node_row(db, node)

    def _transition(self, node, verb, required, new_state):
        now = time.time()
        with self._store.write() as db:
            row = self._node_row(db, node)
            current = self._node_state(row, now)
            if current != required:
                raise conflict(
                    'cannot %s node %r while it is %s'
                    % (verb, row['id'], current.value)
                )
            db.execute(
                'UPDATE nodes SET state = ?, ready_at = ? WHERE id = ?',
                (new_state.value, now + self.boot_time, row['id']),
            )
        if hasattr(node, 'state'):
            node.state = new_state  # as libcloud's dummy does
        return True

    # Helpers shared with the volume and key pair operations

    def _node_row(self, db, node):
        node_id = str(getattr(node, 'id', node))
        row = db.execute(
            'SELECT * FROM nodes WHERE id = ?', (node_id,)
        ).fetchone()
        if row is None:
            raise not_found('node %r not found' % node_id)
        return row

    def _catalogue_row(self, kind, value, rows, error=bad_request):
        ref = str(getattr(value, 'id', value))
        if ref not in rows:
            raise error('%s %r does not exist' % (kind, ref))
        return rows[ref]

    def _location_id(self, location):
        if location is None:
            return catalogue.DEFAULT_LOCATION
        return self._catalogue_row(
            'location', location, catalogue.LOCATIONS_BY_ID
        )[0]

    def _node_state(self, row, now):
        if row['state'] in self.TRANSITIONAL and now >= row['ready_at']:
            return NodeState.RUNNING
        return NodeState(row['state'])

    # Converters

    def _to_node(self, row, now):
        public_ip, private_ip = catalogue.addresses(row['seq'])
        extra = {
            'size_id': row['size_id'],
            'image_id': row['image_id'],
            'location_id': row['location_id'],
            'key_name': row['key_name'],
            'created_at': to_datetime(row['created_at']).isoformat(),
        }
        return Node(
            id=row['id'],
            name=row['name'],
            state=self._node_state(row, now),
            public_ips=[public_ip],
            private_ips=[private_ip],
            driver=self,
            size=self._to_size(catalogue.SIZES_BY_ID[row['size_id']]),
            image=self._to_image(catalogue.IMAGES_BY_ID[row['image_id']]),
            extra=extra,
            created_at=to_datetime(row['created_at']),
        )

    def _to_image(self, row):
        return NodeImage(
            id=row[0], name=row[1], driver=self, extra=dict(row[2])
        )

    def _to_size(self, row):
        return NodeSize(
            id=row[0],
            name=row[1],
            ram=row[2],
            disk=row[3],
            bandwidth=row[4],
            price=row[5],
            driver=self,
            extra={'vcpus': row[6]},
        )

    def _to_location(self, row):
        return NodeLocation(
            id=row[0], name=row[1], country=row[2], driver=self
        )
