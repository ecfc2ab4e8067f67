"""Installation of the multi-cloud orchestration middleware."""

import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def version():
    with open(
        os.path.join(HERE, 'middleware', 'dispatcher', '__init__.py')
    ) as handle:
        return re.search(r"__version__ = '([^']+)'", handle.read()).group(1)


setup(
    name='mw-dispatcher',
    version=version(),
    description='One JSON API over every cloud Apache Libcloud can drive',
    long_description=open(os.path.join(HERE, 'README.rst')).read(),
    long_description_content_type='text/x-rst',
    license='Apache-2.0',
    python_requires='>=3.9',
    package_dir={'': 'middleware'},
    packages=find_packages('middleware'),
    include_package_data=True,
    # The database migrations ship with the package: ``mw db upgrade``.
    package_data={'dispatcher': ['migrations/script.py.mako']},
    install_requires=[
        'Flask>=2.3',
        'apache-libcloud>=3.8',
        'gunicorn>=21.2',
        'requests>=2.31',
        'jsonschema>=4.18',
        'cryptography>=41',
        'click>=8.1',
        'prettytable>=3.9',
        'PyYAML>=6.0',
        'SQLAlchemy>=2.0',
        'alembic>=1.12',
    ],
    extras_require={
        'test': [
            'pytest>=7.4',
            'wheel>=0.41',
            'psycopg[binary]>=3.1',
            # EC2, Eucalyptus and OpenStack tests against emulators.
            'moto[server]>=5.0,<6',
            'boto3>=1.28',
            'python-novaclient>=18',
        ],
        'postgres': ['psycopg[binary]>=3.1'],
        'docs': [
            'Sphinx>=7.0',
            'sphinxcontrib-httpdomain>=1.8',
            'furo>=2024.1',
            'openapi-spec-validator>=0.7',
        ],
        'libvirt': ['libvirt-python>=9.0'],
        # The emulators and independent clients of tests/backends and
        # tests/conformance (mimic has a virtual environment of its own,
        # libvirt-python needs libvirt's headers: the 'libvirt' extra).
        'backends': [
            'moto[server]>=5.0,<6',
            'boto3>=1.28',
            'python-novaclient>=18',
        ],
    },
    entry_points={
        'console_scripts': ['mw = dispatcher.cli:main'],
    },
    classifiers=[
        'Programming Language :: Python :: 3',
        'Framework :: Flask',
        'Topic :: System :: Distributed Computing',
    ],
)
