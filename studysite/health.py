"""What machines ask of every site: liveness for load balancers, and the icon at its old address."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def liveness(request: HttpRequest) -> HttpResponse:
    """Answer without touching the database, so it measures the worker, not its dependencies.

    The load benchmark also uses it as the bare-Django baseline that page throughput is compared to.
    """
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and link checkers still ask for /favicon.ico; the icon is the SVG the pages link to."""
    return redirect(static("studysite/favicon.svg"), permanent=True)
