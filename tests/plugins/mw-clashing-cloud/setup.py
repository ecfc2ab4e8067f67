"""A plugin that wrongly claims a built-in label."""

from setuptools import setup

setup(
    name='mw-clashing-cloud',
    version='0.1',
    packages=['mw_clashing_cloud'],
    entry_points={
        'dispatcher.cloud_drivers': [
            'ec2 = mw_clashing_cloud:ClashingDriver',
        ],
    },
)
