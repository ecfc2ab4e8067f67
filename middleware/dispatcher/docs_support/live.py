"""Live answers of a running service, captured for the documentation.

``make_mw_docs.sh`` runs a service on the simulated farm and, before building
the documentation, runs::

    python -m dispatcher.docs_support.live --url http://127.0.0.1:5050 \\
        --out docs/_live

which asks it the documented calls of :data:`CALLS` and writes each answer
to ``<out>/<name>.json``; the ``mw-live-answer`` directive of the HTTP
reference shows them.
"""

import argparse
import json
import os
import sys

import requests

#: ``(name, method, path, body)`` of each captured call, in order.
CALLS = (
    ('version', 'GET', '/v1', None),
    ('clouds', 'GET', '/v1/clouds', None),
    ('sizes', 'GET', '/v1/clouds/default/sizes', None),
    (
        'node_create',
        'POST',
        '/v1/clouds/default/nodes',
        {'name': 'docs-web-1', 'size': 'small', 'image': 'img-ubuntu-24.04'},
    ),
    ('nodes', 'GET', '/v1/nodes', None),
)


class CaptureError(Exception):
    """A documented call did not succeed."""


def capture(base_url, method, path, body=None, timeout=30.0):
    """One call's record: request line, body, status, answer."""
    response = requests.request(
        method, base_url.rstrip('/') + path, json=body, timeout=timeout
    )
    if response.status_code >= 400:
        raise CaptureError(
            '%s %s answered %d: %s'
            % (method, path, response.status_code, response.text[:500])
        )
    record = {
        'request': '%s %s' % (method, path),
        'status': response.status_code,
        'reason': response.reason,
        'content_type': response.headers.get('Content-Type', ''),
        'body': response.json(),
    }
    if body is not None:
        record['request_body'] = body
    location = response.headers.get('Location')
    if location:
        record['location'] = location
    return record


def capture_all(base_url, folder):
    """Capture every call of :data:`CALLS` into ``folder``; the file names."""
    os.makedirs(folder, exist_ok=True)
    written = []
    for name, method, path, body in CALLS:
        record = capture(base_url, method, path, body)
        target = os.path.join(folder, name + '.json')
        with open(target, 'w') as handle:
            json.dump(record, handle, indent=2)
            handle.write('\n')
        written.append(target)
    return written


def main(argv=None):
    """Command line of the capture; exit status 1 when a call fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--url', required=True, help='base URL of the running service'
    )
    parser.add_argument(
        '--out', required=True, help='folder of the captured answers'
    )
    args = parser.parse_args(argv)
    try:
        for path in capture_all(args.url, args.out):
            print('captured %s' % path)
    except (CaptureError, requests.RequestException, ValueError) as exc:
        print(
            'make_mw_docs: a documented call failed: %s' % exc, file=sys.stderr
        )
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
