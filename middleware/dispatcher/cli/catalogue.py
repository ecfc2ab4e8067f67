"""``image-list``, ``size-list`` and ``location-list`` of one cloud."""

from dispatcher.cli.resources import list_command

IMAGE_COLUMNS = [('ID', 'id'), ('Name', 'name')]
SIZE_COLUMNS = [
    ('ID', 'id'),
    ('Name', 'name'),
    ('RAM (MB)', 'ram'),
    ('Disk (GB)', 'disk'),
    ('Bandwidth', 'bandwidth'),
    ('Price', 'price'),
]
LOCATION_COLUMNS = [('ID', 'id'), ('Name', 'name'), ('Country', 'country')]

image_list = list_command(
    'image-list',
    '/v1/clouds/{cloud}/images',
    'images',
    IMAGE_COLUMNS,
    'List the images of CLOUD (the --image of node-create).',
    arguments=['cloud'],
    filters=('name',),
    fresh=True,
)

size_list = list_command(
    'size-list',
    '/v1/clouds/{cloud}/sizes',
    'sizes',
    SIZE_COLUMNS,
    'List the machine sizes of CLOUD (the --size of node-create).',
    arguments=['cloud'],
    filters=('name',),
    fresh=True,
)

location_list = list_command(
    'location-list',
    '/v1/clouds/{cloud}/locations',
    'locations',
    LOCATION_COLUMNS,
    'List the locations (regions, zones) of CLOUD.',
    arguments=['cloud'],
    filters=('name',),
    fresh=True,
)

COMMANDS = [image_list, size_list, location_list]
