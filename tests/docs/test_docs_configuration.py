"""The configuration page names every setting and variable the code reads.

The settings themselves are listed from ``dispatcher/settings.py`` when the
page is built; these tests catch a setting read somewhere in the code
without a default there, and an ``MW_*`` variable the page does not name.
"""

import os
import re

import pytest

from dispatcher import settings

ROOT = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)
PACKAGE = os.path.join(ROOT, 'middleware', 'dispatcher')

_CONFIG_KEY = re.compile(r"config(?:\.get)?[\[(]\s*'([A-Z][A-Z0-9_]*)'")
_VARIABLE = re.compile(r'(?<![A-Za-z0-9_])MW_[A-Z][A-Z0-9_]*')

#: Keys Flask itself defines.
FLASK_KEYS = {'TESTING', 'DEBUG', 'SECRET_KEY', 'SERVER_NAME'}


@pytest.fixture(scope='module')
def sources():
    texts = {}
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                with open(path) as handle:
                    texts[os.path.relpath(path, ROOT)] = handle.read()
    return texts


@pytest.fixture(scope='module')
def page():
    with open(os.path.join(ROOT, 'docs', 'configuration.rst')) as handle:
        return handle.read()


def test_every_setting_read_has_a_default_or_is_documented(sources, page):
    defaults = {name for name in vars(settings) if name.isupper()}
    undocumented = {}
    for path, text in sources.items():
        for key in _CONFIG_KEY.findall(text):
            if key in defaults or key in FLASK_KEYS or key == 'CLOUD_FARM':
                continue
            if '``%s``' % key not in page:
                undocumented.setdefault(key, []).append(path)
    assert not undocumented, (
        'settings read by the code, with no default in settings.py and not '
        'on docs/configuration.rst: %s' % undocumented
    )


def test_every_environment_variable_is_on_the_page(sources, page):
    # MW_<SETTING> of a setting of settings.py is in the generated list.
    listed = {'MW_' + name for name in vars(settings) if name.isupper()}
    missing = {}
    for path, text in sources.items():
        for name in set(_VARIABLE.findall(text)):
            name = name.rstrip('_')
            if name == 'MW' or name in listed:
                continue
            if name.startswith('MW_CLOUD'):
                name = 'MW_CLOUD_<NAME>_'
            if name not in page:
                missing.setdefault(name, []).append(path)
    assert not missing, (
        'MW_* variables the code reads that '
        'docs/configuration.rst does not name: %s' % missing
    )


def test_every_farm_entry_key_is_on_the_page(page):
    from dispatcher.lib import cloud_init

    for key in cloud_init._ENTRY_KEYS:
        assert '``%s``' % key in page, key
