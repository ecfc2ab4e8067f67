#!/usr/bin/env bash
# What the documentation checks need: Debian's Chromium (the browser test),
# the project's docs extra (Sphinx, httpdomain, the theme,
# openapi-spec-validator), and schemathesis in a virtual environment of its
# own under build/ (it would otherwise load its pytest plugin into every
# test run of the project, where warnings are errors).
set -euo pipefail

if ! command -v chromium >/dev/null 2>&1 || ! command -v dot >/dev/null 2>&1
then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # graphviz draws the documentation's pictures.
    apt-get install -y -qq --no-install-recommends \
        chromium chromium-driver fonts-dejavu-core graphviz
fi
chromium --version
dot -V

python3 -m pip install --quiet -e '.[docs]'

venv=build/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
    rm -rf "$venv"
    if ! python3 -m venv "$venv"; then
        # Debian's own Python keeps venv in a package of its own.
        rm -rf "$venv"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        'schemathesis>=4.3,<5'
fi
"$venv/bin/schemathesis" --version
