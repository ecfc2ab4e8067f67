"""Sphinx directives whose content is read from the code at build time.

``mw-settings``
    every setting of :mod:`dispatcher.settings`: its default, its ``MW_*``
    variable and its ``#:`` comment.
``mw-errors``
    every error code the service answers with (from the source, see
    :mod:`dispatcher.docs_support.error_codes`), its status and what to do.
``mw-providers``
    every provider label of the cloud factory, with its capabilities.
``mw-api-reference``
    a section per blueprint of the application, titled by its module's
    docstring, holding ``autoflask`` of its routes.
``mw-provider-labels``
    the labels of :class:`dispatcher.lib.Provider`.
``mw-cli``
    the help of every command of the ``mw`` client.
(``mw-live-answer`` and ``mw-include-if-exists`` are in :mod:`mw_live`.)
"""

import json
import os
import sys
import tempfile

import error_advice
from docutils import nodes, statemachine
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

LOG = logging.getLogger(__name__)

#: Capability groups of the provider matrix: heading -> operations.
CAPABILITY_GROUPS = (
    ('Nodes', ('list_nodes', 'create_node', 'destroy_node')),
    ('Power', ('reboot_node', 'start_node', 'stop_node')),
    ('Catalogue', ('list_images', 'list_sizes', 'list_locations')),
    (
        'Key pairs',
        (
            'list_key_pairs',
            'create_key_pair',
            'import_key_pair_from_string',
            'delete_key_pair',
        ),
    ),
    (
        'Volumes',
        (
            'list_volumes',
            'create_volume',
            'attach_volume',
            'detach_volume',
            'destroy_volume',
        ),
    ),
)

#: Short names of the operations in the matrix.
SHORT_NAMES = {
    'import_key_pair_from_string': 'import',
    'list_images': 'images',
    'list_sizes': 'sizes',
    'list_locations': 'locations',
}


def _cell(text):
    """A list-table cell: continuation lines indented under the bullet."""
    lines = str(text).splitlines() or ['']
    return '\n'.join([lines[0]] + ['     ' + line for line in lines[1:]])


def list_table(header, rows, widths=None, title=''):
    """reST lines of a ``list-table``."""
    lines = ['.. list-table:: %s' % title, '   :header-rows: 1']
    if widths:
        lines.append('   :widths: %s' % ' '.join(str(w) for w in widths))
    lines.append('')
    for row in [header] + rows:
        lines.append('   * - %s' % _cell(row[0]))
        lines.extend('     - %s' % _cell(cell) for cell in row[1:])
    return lines


class GeneratedDirective(SphinxDirective):
    """A directive that renders reST lines made by :meth:`lines`."""

    def lines(self):
        raise NotImplementedError

    def run(self):
        container = nodes.section()
        content = statemachine.StringList(
            self.lines(), source='<%s>' % self.name
        )
        nested_parse_with_titles(self.state, content, container)
        return container.children


class SettingsTable(GeneratedDirective):
    """Every setting of :mod:`dispatcher.settings`, as a definition list:
    name, default and variable, then its ``#:`` comment."""

    def lines(self):
        from sphinx.pycode import ModuleAnalyzer

        from dispatcher import settings

        analyzer = ModuleAnalyzer.for_module('dispatcher.settings')
        comments = analyzer.find_attr_docs()
        order = analyzer.tagorder
        names = sorted(
            (n for n in vars(settings) if n.isupper()),
            key=lambda n: order.get(n, len(order)),
        )
        lines, previous = [], ''
        for name in names:
            comment = ' '.join(comments.get(('', name), [])).strip()
            if not comment:
                # Settings assigned together share the comment above them.
                comment = previous
                if not comment:
                    LOG.warning(
                        'setting %s has no #: comment in '
                        'dispatcher/settings.py',
                        name,
                    )
            previous = comment
            lines.extend(
                [
                    '``%s`` = ``%r`` (``MW_%s``)'
                    % (name, getattr(settings, name), name),
                    '    ' + comment,
                    '',
                ]
            )
        farm = settings.CloudConfig.__doc__.strip().split('\n\n')[0]
        lines.extend(
            [
                '``CloudConfig.CLOUD_FARM``: three simulated clouds, '
                'below (the settings file only)',
                '    ' + ' '.join(farm.split()),
                '',
            ]
        )
        return lines


class ErrorTable(GeneratedDirective):
    """Every error code, its status and what to do."""

    def lines(self):
        from dispatcher.docs_support.error_codes import catalogue

        rows = []
        for error in catalogue():
            advice = error_advice.advice(error.code, error.status)
            if advice is None:
                LOG.warning(
                    'no advice for error code %s (status %d) in '
                    'docs/_ext/error_advice.py',
                    error.code,
                    error.status,
                )
                advice = ''
            rows.append(
                [
                    str(error.status),
                    '``%s``' % error.code,
                    '``%s``' % error.error_class,
                    advice,
                ]
            )
        return list_table(
            ['Status', 'Code', 'Raised as', 'What to do'],
            rows,
            widths=(8, 24, 18, 50),
        )


def _short(operation):
    return SHORT_NAMES.get(operation, operation.split('_')[0])


class ProviderTable(GeneratedDirective):
    """The provider labels and their capabilities.

    ``:source:`` limits the table to ``builtin``, ``libcloud`` or
    ``plugin`` labels.
    """

    option_spec = {'source': directives.unchanged}

    def lines(self):
        from dispatcher.services.providers import list_providers

        wanted = self.options.get('source')
        rows = []
        for provider in list_providers():
            if wanted and provider['source'] != wanted:
                continue
            capabilities = set(provider['capabilities'])
            row = ['``%s``' % provider['label']]
            if not wanted:
                row.append(provider['source'])
            if not provider['available']:
                row.extend(
                    ['unavailable: %s' % provider.get('reason', '')]
                    + [''] * (len(CAPABILITY_GROUPS) - 1)
                )
            else:
                for _, operations in CAPABILITY_GROUPS:
                    row.append(
                        ', '.join(
                            _short(op)
                            for op in operations
                            if op in capabilities
                        )
                        or '--'
                    )
            rows.append(row)
        if not rows:
            return ['No %s provider labels are installed.' % (wanted or '')]
        header = (
            ['Label']
            + ([] if wanted else ['Source'])
            + [g for g, _ in CAPABILITY_GROUPS]
        )
        return list_table(header, rows)


class DriverConfiguration(GeneratedDirective):
    """The farm-entry fields of each built-in label, from its driver's
    declared configuration (what ``GET /v1/providers/<label>`` answers).

    Fields a driver takes from its libcloud class's constructor are named
    in one line after the table.
    """

    def lines(self):
        from dispatcher.lib import cloud_factory

        lines = []
        for label in sorted(cloud_factory.BUILTIN_DRIVERS):
            try:
                driver_class = cloud_factory.get_driver_class(label)
            except ImportError as exc:
                lines += [
                    label,
                    '~' * len(label),
                    '',
                    'Unavailable: %s' % exc,
                    '',
                ]
                continue
            schema = driver_class.configuration_schema(label)
            declared = {f.name for f in driver_class.configuration or ()}
            rows = [
                [
                    '``%s``' % field.path,
                    field.type,
                    'yes' if field.required else '',
                    'yes' if field.secret else '',
                    ''
                    if field.default is None
                    else '``%r``' % (field.default,),
                    field.help,
                ]
                for field in schema.fields
                if field.name in declared
            ]
            passed_on = sorted(
                field.name
                for field in schema.fields
                if field.name not in declared and field.in_extra
            )
            lines += ['``%s``' % label, '~' * (len(label) + 4), '']
            lines += list_table(
                ['Field', 'Type', 'Required', 'Secret', 'Default', 'Help'],
                rows,
            )
            lines.append('')
            if passed_on:
                klass = driver_class.declared_class(label)
                lines += [
                    'Also passed to libcloud as they are, the parameters '
                    'of ``%s``: %s.'
                    % (
                        getattr(klass, '__name__', 'its driver'),
                        ', '.join('``%s``' % name for name in passed_on),
                    ),
                    '',
                ]
        return lines


#: The path of ``POST /v1/clouds/<cloud>/nodes`` through the layers: each
#: step is a function the build imports, so a rename breaks the build
#: instead of leaving the picture wrong.
REQUEST_PATH = (
    ('dispatcher.api.access.hook', 'before_request', 'token, role, limits'),
    ('dispatcher.api.nodes', 'create_node', 'body checked by its schema'),
    ('dispatcher.services.compute', 'create_node', 'NodeSpec'),
    ('dispatcher.lib.cloud', 'Cloud', 'a worker thread of the cloud'),
    (
        'dispatcher.lib.cloud_factory.drivers',
        'GenericDriver',
        "the farm entry's driver",
    ),
)


def _layers():
    """The layers of the import-linter contract, top first; each a list
    of sibling packages."""
    import configparser

    parser = configparser.ConfigParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    parser.read(os.path.join(root, '.importlinter'))
    text = parser['importlinter:contract:layers']['layers']
    return [
        [name.strip() for name in line.split(':')]
        for line in text.strip().splitlines()
    ]


class LayerDiagram(GeneratedDirective):
    """The layers (read from ``.importlinter``, the contract CI checks)
    and the path of a request through them, as a graphviz picture: one
    box per layer, the steps of the request inside the box of their
    package."""

    def lines(self):
        import importlib

        steps = []
        for module_name, attribute, label in REQUEST_PATH:
            module = importlib.import_module(module_name)
            getattr(module, attribute)  # the step must exist
            steps.append((module_name, attribute, label))
        dot = [
            'digraph layers {',
            '  compound=true; rankdir=TB; nodesep=0.25; ranksep=0.3;',
            '  node [shape=box, style="rounded,filled", fillcolor="#fff4d6",'
            ' fontname="DejaVu Sans", fontsize=10];',
            '  edge [fontname="DejaVu Sans", fontsize=9];',
            '  client [label="HTTP client (curl, mw)", shape=ellipse,'
            ' fillcolor="#ffffff"];',
        ]
        anchors = []
        for number, siblings in enumerate(_layers()):
            row = []
            for place, package in enumerate(siblings):
                cluster = 'cluster_%d_%d' % (number, place)
                anchor = 'a_%d_%d' % (number, place)
                dot += [
                    '  subgraph %s {' % cluster,
                    '    label="%s"; fontname="DejaVu Sans"; fontsize=11;'
                    % package,
                    '    style="rounded,filled"; fillcolor="#eef3fb";'
                    ' color="#9aa7b8";',
                    '    %s [shape=point, style=invis, width=0.01];' % anchor,
                ]
                for module_name, attribute, _ in steps:
                    if module_name == package or module_name.startswith(
                        package + '.'
                    ):
                        dot.append(
                            '    "%s.%s" [label="%s\\n(%s)"];'
                            % (module_name, attribute, attribute, module_name)
                        )
                dot.append('  }')
                row.append((anchor, cluster))
            anchors.append(row)
        for upper, lower in zip(anchors, anchors[1:]):
            for anchor, cluster in upper:
                for below, below_cluster in lower:
                    dot.append(
                        '  %s -> %s [ltail=%s, lhead=%s, color="#9aa7b8",'
                        ' arrowhead=vee, style=dashed];'
                        % (anchor, below, cluster, below_cluster)
                    )
        dot.append(
            '  provider [label="the provider API (through libcloud)", '
            'shape=ellipse, fillcolor="#ffffff"];'
        )
        last = 'client'
        for module_name, attribute, label in steps:
            node = '"%s.%s"' % (module_name, attribute)
            dot.append(
                '  %s -> %s [label=" %s", color="#c07a00", penwidth=1.6];'
                % (last, node, label)
            )
            last = node
        dot.append(
            '  %s -> provider [label=" HTTPS", color="#c07a00",'
            ' penwidth=1.6];' % last
        )
        dot.append('}')
        return ['.. graphviz::', ''] + ['   ' + line for line in dot] + ['']


class DriverClasses(GeneratedDirective):
    """The class hierarchy of the built-in drivers (the cloud factory's
    ``BUILTIN_DRIVERS``), drawn by ``sphinx.ext.inheritance_diagram``."""

    def lines(self):
        from dispatcher.lib import cloud_factory

        targets = sorted(
            target.replace(':', '.')
            for target in cloud_factory.BUILTIN_DRIVERS.values()
        )
        return ['.. inheritance-diagram:: %s' % ' '.join(targets)] + [
            '   :top-classes: '
            'dispatcher.lib.cloud_factory.drivers.GenericDriver',
            '   :parts: 1',
            '',
        ]


class ApiReference(GeneratedDirective):
    """One section per blueprint, in registration order, with its routes.

    The argument is the import path of the application.  Its OpenAPI
    document (generated from the schemas the routes declare) is written per
    blueprint to ``_generated/`` and rendered by sphinxcontrib-openapi into
    httpdomain directives: every route, parameter, body field and answer
    field.  A blueprint added to the application gets its section without
    an edit here; its title is the first line of its module's docstring.
    """

    required_arguments = 1
    option_spec = {'underline': directives.unchanged}

    def lines(self):
        from sphinxcontrib.autohttp.common import import_object

        from dispatcher.api.openapi import build_document

        app = import_object(self.arguments[0])
        with app.app_context():
            document = build_document(app)
        folder = os.path.join(self.env.srcdir, GENERATED)
        os.makedirs(folder, exist_ok=True)
        underline = self.options.get('underline', '-')
        lines = []
        for name, blueprint in app.blueprints.items():
            doc = (sys.modules[blueprint.import_name].__doc__ or name).strip()
            title, _, rest = doc.partition('\n')
            title = title.strip().rstrip('.')
            lines.extend(
                [
                    '',
                    '.. _api-%s:' % name.replace('_', '-'),
                    '',
                    title,
                    underline * len(title),
                    '',
                ]
            )
            lines.extend(line.strip() for line in rest.strip().splitlines())
            part = _part_of(document, name)
            path = os.path.join(folder, 'openapi-%s.json' % name)
            _write_if_changed(path, json.dumps(part, indent=1, sort_keys=True))
            lines.extend(
                [
                    '',
                    '.. openapi:: /%s/openapi-%s.json' % (GENERATED, name),
                    '   :markup: restructuredtext',
                    '   :http-methods-order: get, post, patch, delete',
                    '',
                ]
            )
        return lines


#: Where the reference's generated OpenAPI parts are written (not kept).
GENERATED = '_generated'


def _part_of(document, tag):
    """``document`` with only the operations tagged ``tag``."""
    paths = {}
    for path, item in document['paths'].items():
        operations = {
            method: operation
            for method, operation in item.items()
            if isinstance(operation, dict) and tag in operation.get('tags', ())
        }
        if operations:
            if item.get('parameters'):
                operations['parameters'] = item['parameters']
            paths[path] = operations
    return dict(document, paths=paths)


def _write_if_changed(path, text):
    # An unchanged file keeps Sphinx from rebuilding the pages using it.
    if os.path.exists(path):
        with open(path) as handle:
            if handle.read() == text:
                return
    # Written aside, then renamed: a build running beside this one (the
    # test suite's processes each build the site) never reads half a file.
    folder, name = os.path.split(path)
    with tempfile.NamedTemporaryFile(
        'w', dir=folder, prefix='.%s.' % name, delete=False
    ) as handle:
        handle.write(text)
    os.replace(handle.name, path)


class ProviderLabels(GeneratedDirective):
    """The labels of :class:`dispatcher.lib.Provider`, as a list."""

    def lines(self):
        from dispatcher.lib import Provider

        return [
            '* ``%s = %r``' % (name, value)
            for name, value in vars(Provider).items()
            if name.isupper()
        ]


class CliReference(GeneratedDirective):
    """The ``--help`` of ``mw`` and of each of its commands."""

    option_spec = {'underline': directives.unchanged}

    def lines(self):
        import click

        from dispatcher.cli import main

        lines = []
        with click.Context(main, info_name='mw', terminal_width=78) as root:
            entries = [('mw', main, root)]
            for name in sorted(main.list_commands(root)):
                command = main.get_command(root, name)
                entries.append(
                    (
                        'mw ' + name,
                        command,
                        click.Context(
                            command,
                            parent=root,
                            info_name=name,
                            terminal_width=78,
                        ),
                    )
                )
            for title, command, context in entries:
                underline = self.options.get('underline', '-')
                lines.extend(
                    [
                        '',
                        title,
                        underline * len(title),
                        '',
                        '.. code-block:: text',
                        '',
                    ]
                )
                lines.extend(
                    '   ' + line
                    for line in command.get_help(context).splitlines()
                )
        return lines


def setup(app):
    """Register the directives."""
    app.add_directive('mw-settings', SettingsTable)
    app.add_directive('mw-errors', ErrorTable)
    app.add_directive('mw-providers', ProviderTable)
    app.add_directive('mw-driver-configuration', DriverConfiguration)
    app.add_directive('mw-layer-diagram', LayerDiagram)
    app.add_directive('mw-driver-classes', DriverClasses)
    app.add_directive('mw-api-reference', ApiReference)
    app.add_directive('mw-provider-labels', ProviderLabels)
    app.add_directive('mw-cli', CliReference)
    return {
        'version': '1.0',
        'parallel_read_safe': True,
        'parallel_write_safe': True,
    }
