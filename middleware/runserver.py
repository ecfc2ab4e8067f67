"""Development server: ``python middleware/runserver.py`` (port 5070).

Use gunicorn in production: ``gunicorn -w 4 -b 127.0.0.1:5070 dispatcher:app``.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dispatcher import create_app  # noqa: E402

if __name__ == '__main__':
    app = create_app()
    app.run(
        host=app.config['HOST'], port=int(app.config['PORT']), threaded=True
    )
