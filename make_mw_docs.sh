#!/usr/bin/env bash
# Build the documentation, with live answers of a running service in it.
#
#   ./make_mw_docs.sh [--port N]
#
# Turns up a fake server (the service on a farm of simulated clouds, in a
# temporary instance folder) on 127.0.0.1:5050 (or --port N, or
# MW_DOCS_PORT), waits until it answers, asks it a few documented calls and
# writes their JSON answers to docs/_live/, builds the documentation into
# docs/_build/html with warnings as errors, and stops the server whatever
# happened.  Exits non-zero on any failure.
set -euo pipefail

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "$0"
}

port="${MW_DOCS_PORT:-5050}"
while [ $# -gt 0 ]; do
    case "$1" in
        --port) [ $# -ge 2 ] || { echo "make_mw_docs: --port needs a number" >&2; exit 2; }
                port="$2"; shift 2 ;;
        --port=*) port="${1#--port=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "make_mw_docs: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$port" in
    ''|*[!0-9]*) echo "make_mw_docs: the port must be a number, got '$port'" >&2; exit 2 ;;
esac
if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    echo "make_mw_docs: the port must be from 1 to 65535, got $port" >&2
    exit 2
fi

cd "$(dirname "$0")"
root="$(pwd)"
python="${PYTHON:-python3}"
export PYTHONPATH="$root/middleware${PYTHONPATH:+:$PYTHONPATH}"
url="http://127.0.0.1:$port"

instance="$(mktemp -d "${TMPDIR:-/tmp}/mw-docs.XXXXXX")"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
    rm -rf "$instance"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "$python" - "$port" <<'PY'
import socket, sys
with socket.socket() as sock:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(('127.0.0.1', int(sys.argv[1])))
    except OSError:
        sys.exit(1)
PY
then
    echo "make_mw_docs: port $port is in use: free it, or choose another" \
         "with --port N (or MW_DOCS_PORT=N)" >&2
    exit 1
fi

# The fake server's farm: two simulated clouds, whatever the local settings.
cat >"$instance/settings.py" <<'SETTINGS'
class CloudConfig(object):
    CLOUD_FARM = {
        'default': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 2.0}},
        'sim-eu': {'ENGINE': 'simulator', 'EXTRA_PARAMS': {'boot_time': 3.0}},
    }
SETTINGS

echo "make_mw_docs: starting a fake server on $url (instance folder $instance)"
env -u MW_DATABASE_URL \
    MW_SETTINGS="$instance/settings.py" \
    MW_INSTANCE_PATH="$instance" \
    MW_PORT="$port" \
    MW_AUTH_ENABLED=false \
    MW_LOG_LEVEL=WARNING \
    "$python" middleware/runserver.py >"$instance/server.log" 2>&1 &
server_pid=$!

answered=""
for attempt in $(seq 1 60); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "make_mw_docs: the server exited; its output:" >&2
        cat "$instance/server.log" >&2
        exit 1
    fi
    if "$python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "$url/healthz" 2>/dev/null; then
        answered=yes
        break
    fi
    sleep 0.5
done
if [ -z "$answered" ]; then
    echo "make_mw_docs: the server did not answer on $url within 30 s; its output:" >&2
    cat "$instance/server.log" >&2
    exit 1
fi

rm -rf docs/_live
"$python" -m dispatcher.docs_support.live --url "$url" --out docs/_live

echo "make_mw_docs: building the documentation into docs/_build/html"
"$python" -m sphinx -W -E -q -b html docs docs/_build/html

echo "make_mw_docs: done: docs/_build/html/index.html"
