"""The multi-cloud orchestration middleware.

``create_app()`` builds the Flask application; ``dispatcher:app`` is the
application gunicorn serves (``gunicorn -w 4 -b 127.0.0.1:5070
dispatcher:app``), built on first access so that importing the package has
no side effects.
"""

from flask import Flask

__version__ = '1.0.0'


class ServiceFlask(Flask):
    """Flask, with whether a view or hook is a coroutine worked out once
    per function (Flask works it out for each of them on every request)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ensured = {}

    def ensure_sync(self, func):
        try:
            return self._ensured[func]
        except KeyError:
            ensured = self._ensured[func] = super().ensure_sync(func)
            return ensured
        except TypeError:  # a callable that cannot be a key
            return super().ensure_sync(func)


def create_app(test_config=None):
    """Build the application.

    Settings come from the built-in defaults, then the file named by
    ``MW_SETTINGS``, then ``MW_*`` environment variables, then
    ``test_config``.
    """
    from dispatcher import api, config, jobs, logs, storage
    from dispatcher.api import access
    from dispatcher.private_files import private_folder
    from dispatcher.services import container
    from dispatcher.services.farm import EXTENSION, Farm

    settings = config.load_settings()
    settings.update(test_config or {})
    app = ServiceFlask(
        __name__, instance_path=config.instance_folder(settings)
    )
    app.config.update(settings)
    app.json.sort_keys = False
    private_folder(app.instance_path)
    log_filter = logs.init_app(app)
    app.logger.info('instance folder (local state): %s', app.instance_path)
    farm = Farm.from_settings(app.config, app.instance_path)
    log_filter.secrets.update(farm.secrets())
    log_filter.secrets.update(config.url_passwords(app.config))
    app.extensions[EXTENSION] = farm
    storage.init_app(app)
    app.extensions[container.EXTENSION] = container.Services(
        farm, storage.database(app), jobs.init_app(app), app.config
    )
    api.init_app(app)
    access.init_app(app)
    return app


def close_app(app):
    """Stop what ``app`` runs: its jobs (handed on to the next process),
    its clouds' threads, its database connections.  What a stopping server
    and the tests call; safe to call twice."""
    from dispatcher.services.container import EXTENSION

    app.extensions[EXTENSION].close()


_app = None


def __getattr__(name):
    # ``dispatcher.app`` for gunicorn, built once on first access.
    global _app
    if name == 'app':
        if _app is None:
            _app = create_app()
        return _app
    raise AttributeError("module 'dispatcher' has no attribute %r" % name)
