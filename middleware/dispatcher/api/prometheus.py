"""The service's metrics for Prometheus."""

from flask import Response

from dispatcher import metrics
from dispatcher.api.common import services
from dispatcher.api.framework import Blueprint
from dispatcher.api.schemas.common import NoQuery

bp = Blueprint('prometheus', __name__)

#: The media type of the Prometheus text format.
PROMETHEUS_TEXT = 'text/plain'


@bp.route('/metrics')
@bp.arguments(NoQuery, location='query')
@bp.response(
    200,
    content_type=PROMETHEUS_TEXT,
    description='every metric, in the Prometheus text format',
)
def prometheus_metrics(query):
    """Metrics in the Prometheus text format: requests by route and status,
    provider calls by cloud, operation and outcome with their latency,
    each cloud's circuit, jobs, and the inventory's syncs and age per
    cloud and kind.

    A token of any role is needed, unless ``METRICS_PUBLIC`` is set (for a
    scraper on a network of its own).
    """
    services().inventory.report_ages()
    body, content_type = metrics.render()
    return Response(body, content_type=content_type)
