"""Installation of the multi-cloud orchestration middleware."""

import os
import re
import shutil

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))

#: What the documentation's sources read, copied into the package as
#: ``dispatcher/docs_tree`` so that ``mw docs-build`` works for any install.
DOCS_TREE = [
    'docs',
    'deploy',
    'settings.example.py',
    '.importlinter',
    'middleware/dispatcher/settings.py',
    'middleware/dispatcher/lib/cloud_factory/drivers/eucalyptus.py',
]


class build_with_docs(build_py):
    """``build_py``, plus the documentation's sources in the package."""

    def run(self):
        super().run()
        tree = os.path.join(self.build_lib, 'dispatcher', 'docs_tree')
        for name in DOCS_TREE:
            source = os.path.join(HERE, name)
            if not os.path.exists(source):
                continue
            target = os.path.join(tree, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.isdir(source):
                shutil.copytree(
                    source,
                    target,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(
                        '_build', '_live', '_generated', '__pycache__'
                    ),
                )
            else:
                shutil.copy2(source, target)


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
    author='the mw authors',
    license='Apache-2.0',
    keywords='cloud libcloud multi-cloud orchestration openstack ec2 api',
    # The floor is the Python the test suite runs on in CI (tomllib, 3.11).
    python_requires='>=3.11',
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
        # The API's schemas: validation, serialisation and OpenAPI.
        'flask-smorest>=0.46',
        'marshmallow>=3.20',
        'apispec>=6.6',
        'webargs>=8.4',
        # Retries of provider calls that failed for a passing reason.
        'tenacity>=8.3',
        # The call budget of each cloud (a moving window of calls).
        'limits>=3.13',
        # GET /metrics, in the Prometheus format.
        'prometheus-client>=0.20',
        'cryptography>=41',
        'click>=8.1',
        'prettytable>=3.9',
        'PyYAML>=6.0',
        # The per-user data folder, the same whatever the install mode.
        'platformdirs>=3.0',
        'SQLAlchemy>=2.0',
        'alembic>=1.12',
        # Bounded in-process caches of hot reads (least recently used).
        'cachetools>=6.0',
    ],
    extras_require={
        'test': [
            'pytest>=7.4',
            # The files of the suite in parallel (pytest.ini).
            'pytest-xdist>=3.5',
            'wheel>=0.41',
            'psycopg[binary]>=3.1',
            # EC2, Eucalyptus and OpenStack tests against emulators.
            'moto[server]>=5.0,<6',
            'boto3>=1.28',
            'python-novaclient>=18',
            # Answers checked against the OpenAPI document's schemas.
            'jsonschema>=4.18',
            # The scale-out tests: workers over Redis and RabbitMQ.
            'celery[redis]>=5.3',
        ],
        # The checks CI runs on the source: lint, format, layers.
        'lint': ['ruff>=0.6', 'import-linter>=2.0'],
        'postgres': ['psycopg[binary]>=3.1'],
        # Scale-out: jobs on Celery workers over Redis or RabbitMQ.
        'celery': ['celery[redis]>=5.3', 'psycopg[binary]>=3.1'],
        'docs': [
            'Sphinx>=7.0',
            'sphinxcontrib-httpdomain>=1.8',
            # The HTTP reference, rendered from the OpenAPI document.
            'sphinxcontrib-openapi>=0.8',
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
    cmdclass={'build_py': build_with_docs},
    classifiers=[
        'Development Status :: 4 - Beta',
        'Environment :: Web Environment',
        'Intended Audience :: System Administrators',
        'License :: OSI Approved :: Apache Software License',
        'Operating System :: POSIX :: Linux',
        'Programming Language :: Python :: 3',
        'Programming Language :: Python :: 3 :: Only',
        'Programming Language :: Python :: 3.11',
        'Framework :: Flask',
        'Topic :: System :: Distributed Computing',
    ],
)
