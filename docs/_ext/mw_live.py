"""Sphinx directives for content that may or may not be there at build time.

``mw-live-answer``
    an answer captured from a running service by ``make_mw_docs.sh``.
``mw-include-if-exists``
    a reST file when it exists (``benchmarks.rst``, written by the
    benchmarks), the directive's content otherwise.
"""

import json
import os

from docutils import nodes, statemachine
from sphinx.util.docutils import SphinxDirective

#: Width the captured JSON is filled to.
WIDTH = 76


def compact_json(value, col=0):
    """JSON filling lines up to :data:`WIDTH`, hanging-indented."""
    text = json.dumps(value)
    if (
        col + len(text) <= WIDTH
        or not isinstance(value, (dict, list))
        or not value
    ):
        return text
    if isinstance(value, dict):
        items = [(json.dumps(k) + ': ', v) for k, v in value.items()]
    else:
        items = [('', v) for v in value]
    indent = col + 1
    lines, line = [], ''
    for prefix, item in items:
        inline = prefix + json.dumps(item)
        if line and indent + len(line) + len(inline) + 2 <= WIDTH:
            line += ' ' + inline + ','
            continue
        if line:
            lines.append(line)
        line = prefix + compact_json(item, indent + len(prefix)) + ','
    lines.append(line.rstrip(','))
    opening, closing = ('{', '}') if isinstance(value, dict) else ('[', ']')
    return opening + ('\n' + ' ' * indent).join(lines) + closing


class LiveAnswer(SphinxDirective):
    """A request and the answer ``make_mw_docs.sh`` captured for it.

    The argument is a JSON file written by ``make_mw_docs.sh`` through
    :mod:`dispatcher.docs_support.live`; when it is missing (a plain
    ``sphinx-build``), the directive's content is shown instead.
    """

    required_arguments = 1
    has_content = True

    def run(self):
        relative, path = self.env.relfn2path(self.arguments[0])
        self.env.note_dependency(relative)
        if not os.path.isfile(path):
            container = nodes.container()
            self.state.nested_parse(
                self.content, self.content_offset, container
            )
            return container.children
        with open(path) as handle:
            captured = json.load(handle)
        request = captured['request'] + ' HTTP/1.1'
        if 'request_body' in captured:
            request += '\nContent-Type: application/json\n\n' + compact_json(
                captured['request_body']
            )
        answer = 'HTTP/1.1 %s %s\nContent-Type: %s' % (
            captured['status'],
            captured['reason'],
            captured.get('content_type') or 'application/json',
        )
        if captured.get('location'):
            answer += '\nLocation: %s' % captured['location']
        answer += '\n\n' + compact_json(captured['body'])
        paragraph = nodes.paragraph()
        paragraph += nodes.strong(text=captured['request'])
        block = nodes.literal_block(answer, answer, language='http')
        asked = nodes.literal_block(request, request, language='http')
        return [paragraph, asked, block]


class IncludeIfExists(SphinxDirective):
    """The reST file named, if it exists; the directive's content if not."""

    required_arguments = 1
    has_content = True

    def run(self):
        relative, path = self.env.relfn2path(self.arguments[0])
        self.env.note_dependency(relative)
        if os.path.isfile(path):
            with open(path) as handle:
                text = handle.read()
            self.state_machine.insert_input(
                statemachine.string2lines(text, convert_whitespace=True), path
            )
            return []
        container = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, container)
        return container.children


def setup(app):
    """Register the directives."""
    app.add_directive('mw-live-answer', LiveAnswer)
    app.add_directive('mw-include-if-exists', IncludeIfExists)
    return {
        'version': '1.0',
        'parallel_read_safe': True,
        'parallel_write_safe': True,
    }
