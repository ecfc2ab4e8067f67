#!/usr/bin/env bash
# Packaging tools recent enough for an editable install of setup.py.
set -euo pipefail
python3 -m pip install --quiet --upgrade pip setuptools wheel
