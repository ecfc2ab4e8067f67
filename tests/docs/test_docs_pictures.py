"""The documentation's pictures are drawn from the code when it is built."""

import glob
import os

from dispatcher.lib import cloud_factory


def _images(built_docs, prefix):
    return glob.glob(os.path.join(built_docs, '_images', prefix + '-*.svg'))


def _page(built_docs, name):
    with open(os.path.join(built_docs, name)) as handle:
        return handle.read()


def test_the_layers_and_the_path_of_a_request_are_drawn(
    built_docs, require_program
):
    require_program('dot', 'graphviz')
    page = _page(built_docs, 'architecture.html')
    drawn = [
        path
        for path in _images(built_docs, 'graphviz')
        if os.path.basename(path) in page
    ]
    assert len(drawn) == 1
    with open(drawn[0]) as handle:
        svg = handle.read()
    for layer in ('dispatcher.api', 'dispatcher.services', 'dispatcher.lib'):
        assert layer in svg
    assert 'dispatcher.services.compute' in svg and 'GenericDriver' in svg


def test_the_cloud_factory_classes_are_drawn(built_docs, require_program):
    require_program('dot', 'graphviz')
    page = _page(built_docs, 'drivers.html')
    drawn = [
        path
        for path in _images(built_docs, 'inheritance')
        if os.path.basename(path) in page
    ]
    assert len(drawn) == 1
    with open(drawn[0]) as handle:
        svg = handle.read()
    assert 'GenericDriver' in svg
    for target in cloud_factory.BUILTIN_DRIVERS.values():
        assert target.rsplit(':', 1)[1] in svg
