"""What the documentation is built from besides the routes' schemas.

The HTTP reference is the OpenAPI document of :func:`docs_app` (generated
from the schemas the routes declare) rendered by sphinxcontrib-openapi;
:mod:`.error_codes` lists the error codes for the error reference, and
:mod:`.live` captures live answers of a running service::

    .. mw-api-reference:: dispatcher.docs_support:docs_app()
"""

import atexit
import functools
import shutil
import tempfile

#: The farm the documentation's application runs on: simulated clouds only,
#: whatever the local settings say, so that building the documentation never
#: talks to a real provider.
DOCS_FARM = {
    'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.0}},
}


@functools.lru_cache(maxsize=None)
def docs_app():
    """The application on the simulated farm, in a temporary instance folder.

    Built once per process; the folder is removed when the process exits.
    """
    from dispatcher import create_app

    instance_path = tempfile.mkdtemp(prefix='mw-docs-')
    atexit.register(shutil.rmtree, instance_path, True)
    return create_app(
        {
            'INSTANCE_PATH': instance_path,
            'CLOUD_FARM': DOCS_FARM,
            'LOG_LEVEL': 'ERROR',
            'AUTH_ENABLED': False,
        }
    )
