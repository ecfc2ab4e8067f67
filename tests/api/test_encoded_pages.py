"""A page the inventory hands out again unchanged is sent with the JSON it
was first encoded to: the same bytes the app's JSON provider writes."""

from dispatcher.api import common


def test_a_kept_page_is_the_bytes_the_provider_writes(app):
    page = ({'id': 'b', 'name': 'ü'}, {'id': 'a', 'extra': [1, None]})
    answer = {'nodes': page, 'next_marker': None, 'freshness': [{'x': 1}]}
    with app.test_request_context('/v1/nodes'):
        expected = app.json.response(answer).get_data()
        first = common.documents(answer)[0].get_data()
        again = common.documents(dict(answer))[0].get_data()
    assert first == expected
    assert again == expected
    assert common._ENCODED[id(page)][0] is page


def test_an_equal_page_of_other_documents_is_encoded_anew(app):
    with app.test_request_context('/v1/nodes'):
        one = common.documents({'nodes': ({'id': 'a'},)})[0].get_data()
        other = common.documents({'nodes': ({'id': 'b'},)})[0].get_data()
    assert one != other


def test_in_debug_mode_pages_are_indented_as_usual(app):
    app.debug = True
    try:
        answer = {'nodes': ({'id': 'a'},), 'next_marker': None}
        with app.test_request_context('/v1/nodes'):
            body = common.documents(answer)[0].get_data()
            assert body == app.json.response(answer).get_data()
        assert b'\n  ' in body
    finally:
        app.debug = False
