"""Route docstrings, in sphinxcontrib-httpdomain's field syntax, parsed.

A route's docstring is the single description of the route: Sphinx renders
it in the HTTP reference and :mod:`.openapi` turns the same parse into the
OpenAPI document.  The fields understood are httpdomain's::

    :param cloud_name: the farm name.               (path parameter)
    :query integer limit: page size.                (query parameter)
    :reqjson string name: the node's name.          (request body field)
    :resjson object node: the new node.             (answer body field)
    :reqheader X-Request-Id: ...                    (request header)
    :resheader Location: the node's URL.            (answer header)
    :status 201: created.                           (status code)

and the examples, ``.. sourcecode:: http`` blocks holding a request
(``POST /v1/... HTTP/1.1``) or an answer (``HTTP/1.1 201 Created``).

JSON types are ``string``, ``integer``, ``number``, ``boolean``, ``object``
and ``array``; ``string|null`` says the value may also be ``null``.
"""

import collections
import inspect
import json
import re

#: httpdomain's field names, by what they describe.  ``:<json`` and
#: ``:>json`` are parsed the way httpdomain renders them (``>`` is the
#: request, as in ``curl -v``), but the docstrings use the unambiguous
#: ``reqjson``/``resjson``: see :data:`AMBIGUOUS_FIELDS`.
FIELD_KINDS = {
    'param': 'path', 'parameter': 'path', 'arg': 'path', 'argument': 'path',
    'query': 'query', 'queryparameter': 'query', 'queryparam': 'query',
    'qparam': 'query',
    'reqjson': 'request_json', 'reqjsonobj': 'request_json',
    '>json': 'request_json', '>jsonobj': 'request_json',
    'json': 'request_json', 'jsonparam': 'request_json',
    'jsonparameter': 'request_json',
    'resjson': 'response_json', 'resjsonobj': 'response_json',
    '<json': 'response_json', '<jsonobj': 'response_json',
    'reqjsonarr': 'request_json_array', '>jsonarr': 'request_json_array',
    'resjsonarr': 'response_json_array', '<jsonarr': 'response_json_array',
    'reqheader': 'request_header', 'requestheader': 'request_header',
    '>header': 'request_header',
    'resheader': 'response_header', 'responseheader': 'response_header',
    '<header': 'response_header',
    'status': 'status', 'statuscode': 'status', 'code': 'status',
}

#: Field names whose direction readers commonly get backwards.
AMBIGUOUS_FIELDS = ('<json', '>json', '<jsonobj', '>jsonobj', '<jsonarr',
                    '>jsonarr', '<header', '>header')

#: The JSON types a typed field may name.
JSON_TYPES = ('string', 'integer', 'number', 'boolean', 'object', 'array',
              'null')

_FIELD = re.compile(r'^:(?P<name>[^\s:]+)(?:\s+(?P<args>[^:]+?))?:'
                    r'(?:\s+(?P<text>.*)|$)')
_EXAMPLE = re.compile(r'^\.\.\s+(?:sourcecode|code-block)::\s*http\s*$')
_REQUEST_LINE = re.compile(r'^(?P<method>[A-Z]+)\s+(?P<target>\S+)'
                           r'(?:\s+HTTP/[\d.]+)?$')
_STATUS_LINE = re.compile(r'^HTTP/[\d.]+\s+(?P<status>\d{3})\b')

Field = collections.namedtuple('Field', 'field kind type name description')
Example = collections.namedtuple(
    'Example', 'kind method target status headers body text')


class RouteDoc(object):
    """A parsed route docstring.

    :ivar summary: its first line.
    :ivar description: the prose before the fields and examples.
    :ivar fields: every :class:`Field`, in order.
    :ivar examples: every :class:`Example`, in order.
    """

    def __init__(self, summary, description, fields, examples):
        self.summary = summary
        self.description = description
        self.fields = fields
        self.examples = examples

    def of_kind(self, kind):
        """The fields describing ``kind`` (``path``, ``query``, ...)."""
        return [f for f in self.fields if f.kind == kind]

    def statuses(self):
        """Documented status codes -> their description, in order."""
        return collections.OrderedDict(
            (int(f.name), f.description) for f in self.of_kind('status')
            if f.name.isdigit())

    def example(self, kind, status=None):
        """The first example request (``kind='request'``) or answer."""
        for example in self.examples:
            if example.kind == kind and (status is None
                                         or example.status == status):
                return example
        return None


def _split_args(kind, args):
    """``(type, name)`` of a field's arguments."""
    words = (args or '').split()
    if kind in ('status', 'request_header', 'response_header') or \
            len(words) < 2:
        return None, ' '.join(words)
    return words[0], ' '.join(words[1:])


def _parse_example(lines):
    text = '\n'.join(lines).strip('\n')
    head, _, body = text.partition('\n\n')
    head_lines = head.splitlines()
    first = head_lines[0].strip() if head_lines else ''
    headers = collections.OrderedDict()
    for line in head_lines[1:]:
        name, _, value = line.partition(':')
        headers[name.strip()] = value.strip()
    body = body.strip()
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = body
    request = _REQUEST_LINE.match(first)
    status = _STATUS_LINE.match(first)
    if status:
        return Example('response', None, None, int(status.group('status')),
                       headers, parsed, text)
    if request:
        return Example('request', request.group('method'),
                       request.group('target'), None, headers, parsed, text)
    return Example('unknown', None, None, None, headers, parsed, text)


def _block(lines, start):
    """The indented block after a directive line; ``(lines, next index)``."""
    index = start
    block = []
    while index < len(lines) and (not lines[index].strip()
                                  or lines[index][:1].isspace()):
        block.append(lines[index])
        index += 1
    while block and not block[-1].strip():
        block.pop()
    return inspect.cleandoc('\n'.join(block)).splitlines(), index


def parse(docstring):
    """The :class:`RouteDoc` of a route docstring (``None`` gives empty)."""
    lines = inspect.cleandoc(docstring or '').splitlines()
    fields, examples, prose = [], [], []
    in_prose = True
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _FIELD.match(line)
        if _EXAMPLE.match(line.strip()):
            in_prose = False
            block, index = _block(lines, index + 1)
            examples.append(_parse_example(block))
            continue
        if match and match.group('name') in FIELD_KINDS:
            in_prose = False
            text = [match.group('text') or '']
            index += 1
            while index < len(lines) and lines[index][:1].isspace():
                text.append(lines[index].strip())
                index += 1
            field = match.group('name')
            kind = FIELD_KINDS[field]
            json_type, name = _split_args(kind, match.group('args'))
            fields.append(Field(field, kind, json_type, name,
                                ' '.join(t for t in text if t)))
            continue
        if line.startswith('**Example') or line.startswith('.. '):
            in_prose = False
        if in_prose:
            prose.append(line)
        index += 1
    summary = lines[0].strip() if lines else ''
    description = '\n'.join(prose).strip()
    return RouteDoc(summary, description, fields, examples)


def json_types(declared):
    """The JSON types of a field's declared type (``string|null``)."""
    return [t for t in (declared or '').split('|') if t]
