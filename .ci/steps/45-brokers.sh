#!/usr/bin/env bash
# Redis and RabbitMQ for the scale-out tests (tests/cluster): the tests
# start servers of their own, on free ports of 127.0.0.1, from these
# binaries.  The machine's own brokers are started when they are down, as
# a deployment's would be.  Idempotent: installs only what is missing.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 \
        --save "" --appendonly no --dir /var/lib/redis \
        --logfile /var/log/redis/ci.log
fi
if ! rabbitmqctl -q status >/dev/null 2>&1; then
    rabbitmq-server -detached
fi
echo "brokers ready: $(redis-server --version | cut -d' ' -f3)," \
    "rabbitmq-server at $(command -v rabbitmq-server)"
