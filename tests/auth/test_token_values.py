"""Token values: random, recognisable, stored as digests, compared safely."""

import hashlib

from dispatcher.policy import token_values as tokens


def test_values_are_random_prefixed_and_well_formed():
    values = {tokens.generate() for _ in range(50)}
    assert len(values) == 50
    for value in values:
        assert value.startswith('mwt_')
        assert len(value) == 4 + 43
        assert tokens.is_well_formed(value)


def test_digest_is_sha256_of_the_value():
    value = tokens.generate()
    assert tokens.digest(value) == hashlib.sha256(value.encode()).hexdigest()


def test_prefix_is_short_and_not_the_value():
    value = tokens.generate()
    assert tokens.prefix(value) == value[:12]
    assert value.startswith(tokens.prefix(value))


def test_matches_only_its_own_digest():
    value, other = tokens.generate(), tokens.generate()
    assert tokens.matches(value, tokens.digest(value))
    assert not tokens.matches(other, tokens.digest(value))
    assert not tokens.matches(value[:-1], tokens.digest(value))


def test_malformed_values_are_recognised():
    for value in (
        '',
        'mwt_',
        'mwt_short',
        'abc' * 20,
        tokens.generate() + 'x',
        ' ' + tokens.generate(),
    ):
        assert not tokens.is_well_formed(value)


def test_redact_keeps_only_the_prefix():
    value = tokens.generate()
    text = tokens.redact('header was %s, again %s.' % (value, value))
    assert value not in text
    assert text == 'header was %s***, again %s***.' % (
        tokens.prefix(value),
        tokens.prefix(value),
    )
