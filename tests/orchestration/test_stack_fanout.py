"""How a big stack's creates are cut into child jobs."""

import collections

from dispatcher.services.stack_fanout import chunks


class Node(object):
    def __init__(self, cloud, index):
        self.cloud = cloud
        self.id = '%s-%d' % (cloud, index)


def nodes_of(counts):
    return [
        Node(cloud, index)
        for cloud, count in counts.items()
        for index in range(count)
    ]


def test_every_node_is_in_exactly_one_child_of_at_most_the_size():
    nodes = nodes_of({'a': 125, 'b': 125, 'c': 7})
    parts = chunks(nodes, 25)
    ids = [node.id for part in parts for node in part]
    assert sorted(ids) == sorted(node.id for node in nodes)
    assert len(ids) == len(set(ids))
    assert all(1 <= len(part) <= 25 for part in parts)
    assert len(parts) == 11  # 257 nodes, 25 a child


def test_each_child_takes_the_clouds_in_turn():
    # Whichever worker runs a child makes calls to every cloud at once.
    parts = chunks(nodes_of({'a': 50, 'b': 50, 'c': 50, 'd': 50}), 8)
    for part in parts:
        assert collections.Counter(n.cloud for n in part) == {
            'a': 2,
            'b': 2,
            'c': 2,
            'd': 2,
        }


def test_a_cloud_with_more_nodes_fills_the_last_children():
    parts = chunks(nodes_of({'a': 3, 'b': 10}), 4)
    assert [[n.cloud for n in part] for part in parts] == [
        ['a', 'b', 'a', 'b'],
        ['a', 'b', 'b', 'b'],
        ['b', 'b', 'b', 'b'],
        ['b'],
    ]
