"""Call budgets shared by every process: one window per cloud in Redis.

Two budgets of one cloud stand for two processes (two workers, two API
hosts): what one spends, the other cannot.
"""

import logging

import pytest

from dispatcher.lib.budget import CallBudget
from dispatcher.services.farm import budget_url
from tests.support.brokers import RedisBroker


@pytest.fixture(scope='module')
def redis():
    server = RedisBroker()
    server.start()
    yield server
    server.close()


def spend(budget, calls):
    """How many of ``calls`` start at once (no wait)."""
    return sum(1 for _ in range(calls) if budget._wait() == 0)


def test_two_processes_share_one_rate(redis):
    first, second = CallBudget('shared', 5), CallBudget('shared', 5)
    for budget in (first, second):
        budget.share(redis.url)
    assert spend(first, 3) == 3
    # The second process has only what the first left of the window.
    assert spend(second, 5) == 2
    assert first._wait() > 0 and second._wait() > 0


def test_unshared_budgets_count_apart(redis):
    first, second = CallBudget('apart', 5), CallBudget('apart', 5)
    assert spend(first, 5) == 5
    assert spend(second, 5) == 5


def test_budgets_of_two_clouds_are_apart(redis):
    one, other = CallBudget('cloud-one', 2), CallBudget('cloud-two', 2)
    for budget in (one, other):
        budget.share(redis.url)
    assert spend(one, 2) == 2
    assert spend(other, 2) == 2


def test_a_lost_store_leaves_each_process_counting_alone(caplog):
    server = RedisBroker()
    server.start()
    budget = CallBudget('lonely', 2)
    budget.share(server.url)
    server.close()
    with caplog.at_level(logging.WARNING, 'dispatcher.lib.budget'):
        # No failure: the calls go on, this process's own window rates them.
        assert spend(budget, 3) == 2
    assert 'shared call budget cannot be reached' in caplog.text


def test_a_bad_store_url_is_named():
    with pytest.raises(ValueError, match='CALL_BUDGET_URL'):
        CallBudget('c', 2).share('nosuch://where')


@pytest.mark.parametrize(
    'settings, expected',
    [
        ({}, None),
        ({'BROKER_URL': 'redis://h:6379/0'}, 'redis://h:6379/0'),
        ({'BROKER_URL': 'amqp://guest@h//'}, None),
        (
            {'BROKER_URL': 'amqp://h//', 'CALL_BUDGET_URL': 'redis://r/1'},
            'redis://r/1',
        ),
    ],
)
def test_budgets_are_shared_where_the_settings_say(settings, expected):
    assert budget_url(settings) == expected
