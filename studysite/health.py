"""Liveness endpoint for load balancers and process supervisors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def liveness(request: HttpRequest) -> HttpResponse:
    """Answer without touching the database, so it measures the worker, not its dependencies.

    The load benchmark also uses it as the bare-Django baseline that page throughput is compared to.
    """
    return HttpResponse("ok\n", content_type="text/plain")
