"""A third-party cloud driver, installed by the tests as a real plugin."""

from setuptools import setup

setup(
    name='mw-example-cloud',
    version='0.1',
    packages=['mw_example_cloud'],
    entry_points={
        'dispatcher.cloud_drivers': [
            'example-cloud = mw_example_cloud:ExampleCloudDriver',
        ],
    },
)
