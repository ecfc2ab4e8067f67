#!/usr/bin/env bash
# Checks of the source itself: ruff's lint and format (ruff.toml), and the
# layers of the code as import-linter contracts (.importlinter).
set -euo pipefail

python3 -m pip install --quiet -e '.[lint]'
ruff check .
ruff format --check .
lint-imports --no-cache
