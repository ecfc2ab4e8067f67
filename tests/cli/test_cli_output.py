"""Tables, values and the waiting status line of ``mw``."""

import io

import pytest
from mw_output import property_values, table_rows

from dispatcher.cli import output, progress
from dispatcher.cli.errors import CommandFailed


@pytest.mark.parametrize(
    'value, shown',
    [
        (None, ''),
        (True, 'yes'),
        (False, 'no'),
        (3, '3'),
        (['10.0.0.1', '10.0.0.2'], '10.0.0.1, 10.0.0.2'),
        ([], ''),
        ({'b': 1, 'a': 2}, '{"a": 2, "b": 1}'),
        ([{'a': 1}], '[{"a": 1}]'),
    ],
)
def test_format_value(value, shown):
    assert output.format_value(value) == shown


def test_flatten_names_nested_properties_with_dots():
    assert output.flatten(
        {
            'id': 'n1',
            'extra': {'zone': 'a', 'tags': {}},
            'check': {'ok': False, 'error': {'code': 'x'}},
        }
    ) == [
        ('id', 'n1'),
        ('extra.zone', 'a'),
        ('extra.tags', {}),
        ('check.ok', False),
        ('check.error.code', 'x'),
    ]


def test_list_table_has_one_row_per_item_and_dotted_columns():
    text = output.list_table(
        [{'id': 'a', 'extra': {'vcpus': 2}}, {'id': 'b'}],
        [('ID', 'id'), ('vCPUs', 'extra.vcpus')],
    )
    assert table_rows(text) == [['ID', 'vCPUs'], ['a', '2'], ['b', '']]


def test_object_table_is_property_value_and_hides_keys():
    text = output.object_table(
        {'name': 'k', 'private_key': 'secret', 'public_ips': ['1.2.3.4']},
        hidden=('private_key',),
    )
    assert table_rows(text)[0] == ['Property', 'Value']
    assert property_values(text) == {'name': 'k', 'public_ips': '1.2.3.4'}
    assert 'secret' not in text


def test_long_values_wrap_within_the_cell_width():
    text = output.object_table(
        {'capabilities': ['operation_%d' % i for i in range(40)]}
    )
    assert max(len(line) for line in text.splitlines()) < 120
    assert 'operation_39' in property_values(text)['capabilities']


class FakeStream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


def status_line(tty):
    line = progress.StatusLine()
    line.stream = FakeStream(tty)
    line.live = tty
    return line


def test_status_line_on_a_terminal_rewrites_one_line():
    line = status_line(True)
    line.update('node a: pending', 0.2)
    line.update('node a: pending', 1.4)
    line.update('node a: running', 2.0)
    line.finish()
    assert line.stream.getvalue() == (
        '\r\033[Knode a: pending  (0s)\r\033[Knode a: pending  (1s)'
        '\r\033[Knode a: running  (2s)\n'
    )


def test_status_line_elsewhere_prints_each_change_once(capsys):
    line = progress.StatusLine(live=False)
    for text in ('node a: pending', 'node a: pending', 'node a: running'):
        line.update(text, 1.0)
    line.finish()
    assert capsys.readouterr().err == 'node a: pending\nnode a: running\n'


class Script(object):
    """States a resource goes through, one per poll, on a manual clock."""

    def __init__(self, states):
        self.states = list(states)
        self.now = 0.0
        self.slept = []

    def fetch(self):
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        return {'name': 'n', 'state': state}

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def poll(script, timeout=10.0):
    return progress.poll_until(
        script.fetch,
        lambda r: r['state'],
        lambda r: 'node n',
        done=('running',),
        failed=('error',),
        timeout=timeout,
        interval=1.0,
        status=status_line(False),
        clock=lambda: script.now,
        sleep=script.sleep,
    )


def test_poll_until_returns_the_resource_once_done():
    script = Script(['pending', 'pending', 'running'])
    assert poll(script) == {'name': 'n', 'state': 'running'}
    assert script.slept == [1.0, 1.0]


def test_poll_until_fails_on_a_failed_state():
    with pytest.raises(CommandFailed, match='node n ended in state error'):
        poll(Script(['pending', 'error']))


def test_poll_until_gives_up_after_the_timeout():
    script = Script(['pending'])
    with pytest.raises(CommandFailed, match='still pending after 2.5 s'):
        poll(script, timeout=2.5)
    assert script.slept == [1.0, 1.0, 0.5]
