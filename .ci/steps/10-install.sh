#!/usr/bin/env bash
# The project with its test extra: the README's test command, first half.
set -euo pipefail
python3 -m pip install --quiet --upgrade pip setuptools wheel
python3 -m pip install --quiet -e '.[test]'
