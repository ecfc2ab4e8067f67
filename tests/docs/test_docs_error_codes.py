"""The error reference is read from the source and misses no code."""

import os
import sys

import pytest

from dispatcher import errors
from dispatcher.docs_support import error_codes

DOCS_EXT = os.path.join(
    os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ),
    'docs',
    '_ext',
)


@pytest.fixture(scope='module')
def catalogue():
    return error_codes.catalogue()


@pytest.fixture(scope='module')
def advice():
    sys.path.insert(0, DOCS_EXT)
    try:
        import error_advice
    finally:
        sys.path.remove(DOCS_EXT)
    return error_advice


@pytest.mark.parametrize(
    'code, status',
    [
        ('invalid_field', 400),
        ('invalid_json', 400),
        ('provider_rejected', 400),
        ('cloud_auth_failed', 502),
        ('cloud_not_found', 404),
        ('node_not_found', 404),
        ('key_pair_not_found', 404),
        ('volume_not_found', 404),
        ('provider_not_found', 404),
        ('invalid_state', 409),
        ('provider_conflict', 409),
        ('payload_too_large', 413),
        ('unsupported_media_type', 415),
        ('rate_limited', 429),
        ('not_supported', 501),
        ('provider_error', 502),
        ('cloud_unavailable', 503),
        ('cloud_timeout', 504),
        ('docs_not_built', 404),
        ('internal_error', 500),
    ],
)
def test_the_code_is_found_with_its_status(catalogue, code, status):
    assert (code, status) in {(e.code, e.status) for e in catalogue}


def test_every_error_class_is_listed(catalogue):
    listed = {(e.code, e.status) for e in catalogue}
    for error_class in error_codes.error_classes().values():
        assert (error_class.code, error_class.status) in listed


def test_codes_raised_in_a_new_module_are_found(tmp_path):
    package = tmp_path / 'dispatcher'
    package.mkdir()
    (package / 'things.py').write_text(
        'from dispatcher import errors\n'
        'class ThingGone(errors.NotFound):\n'
        '    code = "thing_gone"\n'
        'def find():\n'
        '    raise errors.Conflict("busy", code="thing_busy")\n'
        'def other():\n'
        '    raise ThingGone("gone", code="thing_vanished")\n'
    )
    found = {
        (e.code, e.status, e.error_class): e.modules
        for e in error_codes.catalogue(str(package))
    }
    assert found[('thing_gone', 404, 'ThingGone')] == ['dispatcher.things']
    assert ('thing_busy', 409, 'Conflict') in found
    assert ('thing_vanished', 404, 'ThingGone') in found


def test_every_code_has_advice(catalogue, advice):
    missing = [
        (e.code, e.status)
        for e in catalogue
        if not advice.advice(e.code, e.status)
    ]
    assert not missing


def test_the_codes_are_the_ones_the_api_answers(client):
    body = client.get('/v1/clouds/nowhere').get_json()['error']
    assert body['code'] == 'cloud_not_found'
    assert isinstance(errors.NotFound('x'), errors.MiddlewareError)
