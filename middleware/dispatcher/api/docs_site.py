"""The built HTML documentation, browsable from the service at ``/docs/``."""

import os

from flask import Blueprint, current_app, send_from_directory
from werkzeug.security import safe_join

from dispatcher import errors
from dispatcher.docs_support.site import HOW_TO_BUILD, docs_folder

bp = Blueprint('docs_site', __name__, url_prefix='/docs')


def _built_folder():
    folder = docs_folder(current_app.config)
    if folder is None:
        raise errors.NotFound("the documentation is not built: "
                              + HOW_TO_BUILD, code='docs_not_built')
    return folder


@bp.route('/')
def docs_index():
    """The documentation's front page (HTML).

    **Example request**:

    .. sourcecode:: http

        GET /docs/ HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: text/html; charset=utf-8

        <!DOCTYPE html>

    :resheader Content-Type: ``text/html``.
    :status 200: the page.
    :status 206: the byte range the ``Range`` header asked for.
    :status 304: the page has not changed since the client's copy
        (``If-None-Match``, ``If-Modified-Since``).
    :status 404: the documentation is not built (code ``docs_not_built``;
        the message says how to build it).
    :status 416: the ``Range`` asked for lies outside the page.
    """
    return send_from_directory(_built_folder(), 'index.html')


@bp.route('/<path:filename>')
def docs_file(filename):
    """A page, style sheet, script or image of the documentation.

    **Example request**:

    .. sourcecode:: http

        GET /docs/api_v1.html HTTP/1.1

    **Example answer**:

    .. sourcecode:: http

        HTTP/1.1 200 OK
        Content-Type: text/html; charset=utf-8

        <!DOCTYPE html>

    :param filename: the file's path in the built documentation; a folder
        gives its ``index.html``.
    :resheader Content-Type: the file's own type (``*/*``: ``text/html``,
        ``text/css``, ``text/javascript``, ``image/png``, ...).
    :status 200: the file.
    :status 206: the byte range the ``Range`` header asked for.
    :status 304: the file has not changed since the client's copy
        (``If-None-Match``, ``If-Modified-Since``).
    :status 404: no such file, or the documentation is not built (code
        ``docs_not_built``).
    :status 416: the ``Range`` asked for lies outside the file.
    """
    folder = _built_folder()
    path = safe_join(folder, filename)
    if path is not None and os.path.isdir(path):
        filename = filename.rstrip('/') + '/index.html'
    return send_from_directory(folder, filename)
