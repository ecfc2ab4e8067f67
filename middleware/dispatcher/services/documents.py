"""Value objects as plain JSON documents, for storing them."""

from dispatcher.lib.cloud_factory.values import as_document

__all__ = ['as_document']
