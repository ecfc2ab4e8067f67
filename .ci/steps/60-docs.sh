#!/usr/bin/env bash
# The documentation and the API description, checked end to end:
#  1. the Sphinx documentation builds with warnings as errors;
#  2. make_mw_docs.sh builds it again with live answers of a fake server;
#  3. a live server's GET /v1/openapi.json is a valid OpenAPI document;
#  4. schemathesis sends generated requests to that server (simulated farm,
#     access control on, a bounded number of examples): no 5xx, and every
#     answer matches the document;
#  5. headless Chromium renders the API reference from the server with every
#     route on it (screenshot in tests/artifacts/).
set -euo pipefail

root="$(pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mw-ci-docs.XXXXXX")"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "--- 1. sphinx-build -W"
rm -rf docs/_live
python3 -m sphinx -W -E -q -b html docs "$work/plain-html"

echo "--- 2. make_mw_docs.sh"
./make_mw_docs.sh --port "$(free_port)"

echo "--- 3. a live server and its OpenAPI document"
mkdir -p "$work/instance"
cat >"$work/settings.py" <<'SETTINGS'
class CloudConfig(object):
    CLOUD_FARM = {
        'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.5}},
        'sim-b': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 0.0}},
        'dummy': {'ENGINE': 'dummy', 'USER': '2'},
    }
SETTINGS
port="$(free_port)"
url="http://127.0.0.1:$port"
# A long request line is the application's to refuse (400 naming the
# parameter), not gunicorn's (an HTML 414).
env -u MW_DATABASE_URL \
    MW_SETTINGS="$work/settings.py" MW_INSTANCE_PATH="$work/instance" \
    MW_RATE_LIMIT_PER_MINUTE=0 MW_AUTH_FAILURES_PER_MINUTE=0 \
    MW_LOG_LEVEL=WARNING \
    MW_DOCS_PATH="$root/docs/_build/html" \
    PYTHONPATH="$root/middleware${PYTHONPATH:+:$PYTHONPATH}" \
    python3 -m gunicorn -w 2 -b "127.0.0.1:$port" --timeout 60 \
        --limit-request-line 0 dispatcher:app >"$work/server.log" 2>&1 &
server_pid=$!
for attempt in $(seq 1 60); do
    if python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "$url/healthz" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null || [ "$attempt" = 60 ]; then
        echo "the server did not start:" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
    sleep 0.5
done
python3 -c "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())" \
    "$url/v1/openapi.json" >"$work/openapi.json"
openapi-spec-validator "$work/openapi.json"
# With access control on, the first start made an admin token.
auth=()
if [ -f "$work/instance/admin-token" ]; then
    auth=(--header "X-Auth-Token: $(cat "$work/instance/admin-token")")
fi

echo "--- 4. schemathesis"
# Every phase (examples, coverage, fuzzing, stateful) over every operation,
# every check (answers against their schemas included), with the
# provider failures a cloud answers by design allowed (schemathesis.toml).
# Left out: "positive_data_acceptance" (a well-formed marker naming no item
# is rightly a 400), "use_after_free" (a DELETE is accepted with 202, or
# revokes a token whose record stays readable, so the resource is still
# there right after).  "unsupported_method" runs: a method a route does not
# take is a 405 naming the ones it does (Allow).
(cd "$work" && timeout 900 "$root/build/schemathesis-venv/bin/schemathesis" \
    --config-file "$root/schemathesis.toml" run \
    "$url/v1/openapi.json" \
    "${auth[@]}" \
    --phases examples,coverage,fuzzing,stateful \
    --checks all \
    --exclude-checks positive_data_acceptance,use_after_free \
    --max-examples 25 --workers 1 --request-timeout 30 \
    --seed 20260105 --suppress-health-check all) || {
    echo "schemathesis failed; the server's log:" >&2
    tail -n 100 "$work/server.log" >&2
    exit 1
}
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

echo "--- 5. the reference in headless Chromium"
MW_DOCS_BUILT="$root/docs/_build/html" python3 -m pytest -q \
    tests/docs/test_docs_browser.py
