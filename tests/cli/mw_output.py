"""Reading what ``mw`` printed: prettytable cells and failures."""


def table_rows(text):
    """The cells of each data row of a prettytable (header first)."""
    rows = []
    for line in text.splitlines():
        if line.startswith('|'):
            rows.append([cell.strip() for cell in line.strip('|').split('|')])
    return rows


def property_values(text):
    """A Property/Value table as a dict (wrapped values joined by spaces)."""
    values = {}
    last = None
    for name, value in table_rows(text)[1:]:
        if name:
            values[name] = value
            last = name
        elif last is not None:
            values[last] = (values[last] + ' ' + value).strip()
    return values


def assert_clean_failure(result, exit_code, *fragments):
    """``result`` failed with ``exit_code``, saying each of ``fragments``
    on stderr and never with a traceback."""
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    for fragment in fragments:
        assert fragment in result.stderr
    assert 'Traceback' not in result.stderr
    assert 'Traceback' not in result.stdout
