"""The simulated cloud's fixed catalogue: images, sizes and locations.

Plain data only; :class:`~.driver.SimulatorNodeDriver` turns the rows into
libcloud ``NodeImage`` / ``NodeSize`` / ``NodeLocation`` objects.  Ids are
stable so that configuration files and tests can refer to them.
"""

# (id, name, extra)
IMAGES = (
    (
        'img-ubuntu-24.04',
        'Ubuntu 24.04 LTS',
        {
            'os': 'linux',
            'distribution': 'ubuntu',
            'version': '24.04',
            'arch': 'x86_64',
            'default_user': 'ubuntu',
        },
    ),
    (
        'img-ubuntu-22.04',
        'Ubuntu 22.04 LTS',
        {
            'os': 'linux',
            'distribution': 'ubuntu',
            'version': '22.04',
            'arch': 'x86_64',
            'default_user': 'ubuntu',
        },
    ),
    (
        'img-debian-12',
        'Debian 12 (bookworm)',
        {
            'os': 'linux',
            'distribution': 'debian',
            'version': '12',
            'arch': 'x86_64',
            'default_user': 'debian',
        },
    ),
    (
        'img-rocky-9',
        'Rocky Linux 9',
        {
            'os': 'linux',
            'distribution': 'rocky',
            'version': '9',
            'arch': 'x86_64',
            'default_user': 'rocky',
        },
    ),
    (
        'img-alpine-3.20',
        'Alpine Linux 3.20',
        {
            'os': 'linux',
            'distribution': 'alpine',
            'version': '3.20',
            'arch': 'x86_64',
            'default_user': 'alpine',
        },
    ),
)

# (id, name, ram in MB, disk in GB, bandwidth in Mbit/s, price per hour, vcpus)
SIZES = (
    ('small', 'Small: 1 vCPU, 1 GB RAM', 1024, 25, 1000, 0.0075, 1),
    ('medium', 'Medium: 2 vCPU, 4 GB RAM', 4096, 50, 2000, 0.03, 2),
    ('large', 'Large: 4 vCPU, 8 GB RAM', 8192, 100, 4000, 0.06, 4),
    ('xlarge', 'Extra large: 8 vCPU, 16 GB RAM', 16384, 200, 8000, 0.12, 8),
)

# (id, name, country); the first one is the default location.
LOCATIONS = (
    ('sim-east-1a', 'Simulated East, zone a', 'US'),
    ('sim-west-1a', 'Simulated West, zone a', 'US'),
    ('sim-eu-1a', 'Simulated Europe, zone a', 'DE'),
)

DEFAULT_LOCATION = LOCATIONS[0][0]


def _index(rows):
    return {row[0]: row for row in rows}


IMAGES_BY_ID = _index(IMAGES)
SIZES_BY_ID = _index(SIZES)
LOCATIONS_BY_ID = _index(LOCATIONS)


# Documentation-only public ranges (RFC 5737), then the benchmarking range
# 198.18.0.0/15 (RFC 2544) once those are used up: never routable addresses.
_PUBLIC_BLOCKS = ((203, 0, 113), (198, 51, 100), (192, 0, 2))


def addresses(seq):
    """Return ``(public_ip, private_ip)`` for the node with sequence ``seq``.

    ``seq`` is the node's never-reused row number (1, 2, ...), so addresses
    are deterministic and unique per node.
    """
    index = seq - 1
    if index < 254 * len(_PUBLIC_BLOCKS):
        a, b, c = _PUBLIC_BLOCKS[index // 254]
        public = '%d.%d.%d.%d' % (a, b, c, index % 254 + 1)
    else:
        rest = index - 254 * len(_PUBLIC_BLOCKS)
        public = '198.%d.%d.%d' % (
            18 + (rest // (254 * 256)) % 2,
            (rest // 254) % 256,
            rest % 254 + 1,
        )
    private = '10.%d.%d.%d' % (
        (index // (254 * 256)) % 256,
        (index // 254) % 256,
        index % 254 + 1,
    )
    return public, private
