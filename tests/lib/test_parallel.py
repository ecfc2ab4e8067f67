"""Several slow calls made at once (``dispatcher.lib.parallel``)."""

import contextvars
import threading

import pytest

from dispatcher import errors
from dispatcher.lib.parallel import all_at_once

REQUEST = contextvars.ContextVar('request', default=None)


def test_the_calls_run_at_the_same_time():
    # Each call waits for all the others: run one after another, the
    # barrier would break after its timeout instead.
    barrier = threading.Barrier(4, timeout=10)
    asks = {key: (lambda key=key: (barrier.wait(), key)[1]) for key in 'abcd'}
    answers, failures = all_at_once(asks)
    assert answers == {'a': 'a', 'b': 'b', 'c': 'c', 'd': 'd'}
    assert failures == {}


def test_a_failure_is_kept_by_key_and_the_others_answer():
    def refuse():
        raise errors.CloudUnavailable('down', cloud='b')

    answers, failures = all_at_once({'a': lambda: 1, 'b': refuse})
    assert answers == {'a': 1}
    assert list(failures) == ['b']
    assert failures['b'].to_dict()['cloud'] == 'b'


def test_one_call_runs_in_the_callers_thread_and_fails_the_same_way():
    def refuse():
        raise errors.NotFound('gone')

    answers, failures = all_at_once({'only': threading.get_ident})
    assert answers == {'only': threading.get_ident()}
    answers, failures = all_at_once({'only': refuse})
    assert answers == {} and isinstance(failures['only'], errors.NotFound)


def test_each_call_sees_the_callers_context():
    REQUEST.set('req-1')
    answers, _ = all_at_once({key: REQUEST.get for key in 'xyz'})
    assert set(answers.values()) == {'req-1'}


def test_a_bug_is_raised_not_kept():
    with pytest.raises(ZeroDivisionError):
        all_at_once({'a': lambda: 1 / 0, 'b': lambda: 2})
