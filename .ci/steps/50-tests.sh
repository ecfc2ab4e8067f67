#!/usr/bin/env bash
# The README's test command, second half: the whole pytest suite.
set -euo pipefail
python3 -m pytest -q -ra --durations=15
