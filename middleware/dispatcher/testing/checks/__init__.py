"""The conformance checks, by resource; each a pytest test function."""
