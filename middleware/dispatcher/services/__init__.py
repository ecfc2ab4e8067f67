"""The service layer: what the API does, with no knowledge of HTTP.

Blueprints parse a request, call one function here and render its answer.
Services work on the farm (:class:`~dispatcher.services.farm.Farm`) and the
clouds' drivers, and raise :mod:`dispatcher.errors` for every failure.
"""

from dispatcher.storage import UNAVAILABLE as DATABASE_ERRORS
from dispatcher.storage import unavailable as database_unavailable

__all__ = ['DATABASE_ERRORS', 'database_unavailable']
