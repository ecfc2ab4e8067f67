#!/usr/bin/env bash
# PostgreSQL for the storage and orchestration tests: a server on
# 127.0.0.1:5432, user postgres without a password (trust), database
# "test"; and psycopg, the driver the service uses for it.  Idempotent:
# installs, configures and starts only what is missing.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1 \
        || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
hba="/etc/postgresql/${version}/main/pg_hba.conf"
rule='host all postgres 127.0.0.1/32 trust'
changed=no
if ! grep -Eq '^host[[:space:]]+all[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    # The first matching line wins: put ours first.
    sed -i "1i ${rule}" "$hba"
    changed=yes
fi

if ! pg_ctlcluster --skip-systemctl-redirect "$version" main status >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
elif [ "$changed" = yes ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p 5432; then
        break
    fi
    sleep 0.5
done
pg_isready -h 127.0.0.1 -p 5432

if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'test'")" != 1 ]; then
    createdb -h 127.0.0.1 -U postgres test
fi
psql -h 127.0.0.1 -U postgres -d test -tAc 'SELECT 1' >/dev/null

python3 -c 'import psycopg' 2>/dev/null \
    || python3 -m pip install --quiet 'psycopg[binary]>=3.1'
echo "PostgreSQL ${version} ready on 127.0.0.1:5432 (database test)"
