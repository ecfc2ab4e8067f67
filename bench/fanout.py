"""Fan-out: ``GET /v1/nodes?fresh=true`` over 8 clouds against a serial
loop.

Each simulated cloud answers every call after 100 ms.  The serial loop asks
the same 8 clouds one after the other through libcloud directly; the
service asks them in parallel.  Target: the API answers in at most 0.2 of
the serial loop's time.

Run: ``python bench/fanout.py [--clouds 8] [--latency 0.1] [--repeat 10]``
"""

import argparse

import requests
from common import Service, median_ms, state_path, timed

from dispatcher.lib.simulator import SimulatorNodeDriver


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clouds', type=int, default=8)
    parser.add_argument('--latency', type=float, default=0.1)
    parser.add_argument('--repeat', type=int, default=10)
    args = parser.parse_args()

    farm = {
        'cloud-%d' % n: {
            'ENGINE': 'simulator',
            'EXTRA_PARAMS': {'latency': args.latency, 'boot_time': 0},
        }
        for n in range(args.clouds)
    }
    with Service(farm) as service:
        session = requests.Session()
        session.headers.update(service.headers)

        def api():
            # Asked live: a read from the inventory calls no provider.
            body = session.get(
                service.url + '/v1/nodes?fresh=true', timeout=60
            ).json()
            assert not body['errors'], body['errors']

        api()  # first call connects every cloud's worker thread
        api_samples = timed(api, args.repeat)

        drivers = [
            SimulatorNodeDriver(
                'bench',
                state_path=state_path(service.folder, name),
                latency=args.latency,
            )
            for name in farm
        ]

        def serial():
            for driver in drivers:
                driver.list_nodes()

        serial_samples = timed(serial, args.repeat)

    api_ms, serial_ms = median_ms(api_samples), median_ms(serial_samples)
    ratio = api_ms / serial_ms
    print(
        'clouds=%d latency=%.0fms repeat=%d'
        % (args.clouds, args.latency * 1000, args.repeat)
    )
    print('serial libcloud loop  median %8.1f ms' % serial_ms)
    print('GET /v1/nodes?fresh   median %8.1f ms' % api_ms)
    print(
        'ratio                        %8.3f  (target <= 0.2: %s)'
        % (ratio, 'met' if ratio <= 0.2 else 'MISSED')
    )
    return 0 if ratio <= 0.2 else 1


if __name__ == '__main__':
    raise SystemExit(main())
