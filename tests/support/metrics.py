"""Reading samples out of the Prometheus text format."""

import re


def value_of(text, name, **labels):
    """The value of sample ``name{labels}`` in ``text`` (0 if absent)."""
    for line in text.splitlines():
        if not line.startswith(name + '{') and line.split(' ')[0] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split('}')[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(' ', 1)[1])
    return 0.0
