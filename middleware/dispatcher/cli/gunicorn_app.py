"""gunicorn serving ``dispatcher.create_app()``, configured in code."""

from gunicorn.app.base import BaseApplication


class MiddlewareApplication(BaseApplication):
    """gunicorn's arbiter with the given settings; each worker builds the
    app itself, as ``gunicorn dispatcher:app`` does, so that no cloud
    connection or thread crosses a fork."""

    def __init__(self, options):
        self.options = dict(options)
        super().__init__()

    def load_config(self):
        for name, value in self.options.items():
            self.cfg.set(name, value)
        # Recent gunicorn opens a control socket in the home folder by
        # default: a second service started by the same user would take it
        # over, so ``mw serve`` goes without it.
        if 'control_socket_disable' in self.cfg.settings:
            self.cfg.set('control_socket_disable', True)

    def load(self):
        from dispatcher import create_app

        return create_app()
