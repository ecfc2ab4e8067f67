"""The documentation's pictures are drawn from the code when it is built."""

import glob
import os

from dispatcher.lib import cloud_factory


def _drawn(built_docs, page, prefix):
    """The SVG of the one picture ``page`` shows of kind ``prefix``."""
    with open(os.path.join(built_docs, page)) as handle:
        html = handle.read()
    pictures = [
        path
        for path in glob.glob(
            os.path.join(built_docs, '_images', prefix + '-*.svg')
        )
        if os.path.basename(path) in html
    ]
    assert len(pictures) == 1, pictures
    with open(pictures[0]) as handle:
        return handle.read()


def test_the_layers_and_the_path_of_a_request_are_drawn(
    built_docs, require_program
):
    require_program('dot', 'graphviz')
    svg = _drawn(built_docs, 'architecture.html', 'graphviz')
    for layer in ('dispatcher.api', 'dispatcher.services', 'dispatcher.lib'):
        assert layer in svg
    assert 'dispatcher.services.compute' in svg and 'GenericDriver' in svg


def test_the_cloud_factory_classes_are_drawn(built_docs, require_program):
    require_program('dot', 'graphviz')
    svg = _drawn(built_docs, 'drivers.html', 'inheritance')
    assert 'GenericDriver' in svg
    for target in cloud_factory.BUILTIN_DRIVERS.values():
        assert target.rsplit(':', 1)[1] in svg
