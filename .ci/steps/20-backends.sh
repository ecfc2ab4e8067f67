#!/usr/bin/env bash
# The cloud-API emulators of tests/backends and tests/conformance:
# libvirt-python (libvirt's test hypervisor, built against Debian's
# libvirt), moto's server and boto3 for EC2/Eucalyptus, python-novaclient,
# and mimic (OpenStack/Rackspace) in a virtual environment of its own.
# Idempotent and quiet: the details go to a log printed only on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

log="${TMPDIR:-/tmp}/mw-ci-backends.log"
: > "${log}"
trap 'status=$?; if [ "${status}" -ne 0 ]; then
        echo "backends step failed (status ${status}); its log:" >&2
        cat "${log}" >&2; fi' EXIT

run() {
    echo "+ $*" >> "${log}"
    "$@" >> "${log}" 2>&1
}

# Debian packages: libvirt's headers for libvirt-python, a C compiler to
# build it, and venv for mimic's environment; only those missing.
export DEBIAN_FRONTEND=noninteractive
wanted=(libvirt-dev pkg-config)
command -v cc > /dev/null || wanted+=(gcc)
python3 -m venv --help > /dev/null 2>&1 || wanted+=(python3-venv)
missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "${package}" 2>/dev/null \
        | grep -q 'install ok installed' || missing+=("${package}")
done
if [ "${#missing[@]}" -gt 0 ]; then
    run apt-get update
    run apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Python packages: the project's 'backends' and 'libvirt' extras.
run python3 -m pip install --quiet -e '.[backends,libvirt]'
run python3 -c 'import libvirt, moto.server, boto3, novaclient'

# mimic and its pins, in their own cached virtual environment.
run python3 tests/backends/mimic_venv.py
echo "backends ready: libvirt-python, moto, boto3, novaclient, mimic"
