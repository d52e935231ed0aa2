"""Rendered plots: the cache index, and the lock that keeps a plot from being rendered twice."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode


class RenderedPlot(models.Model):
    """One experiment run with one set of parameters under one engine version, drawn once.

    The row is claimed (status "rendering") before the work starts; its unique key is what makes a
    second, simultaneous request wait for the first instead of rendering again.
    """

    class Status(models.TextChoices):
        RENDERING = "rendering"
        READY = "ready"

    key = models.CharField(max_length=64, unique=True)
    experiment = models.CharField(max_length=64, db_index=True)
    params = models.JSONField()
    engine_version = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RENDERING)
    png_name = models.CharField(max_length=255, blank=True)
    svg_name = models.CharField(max_length=255, blank=True)
    data_name = models.CharField(max_length=255, blank=True)
    png_digest = models.CharField(max_length=16, blank=True)
    svg_digest = models.CharField(max_length=16, blank=True)
    title = models.TextField(blank=True)
    caption = models.TextField(blank=True)
    alt = models.TextField(blank=True)
    claim = models.TextField(blank=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(default=0, help_text="Its PNG, SVG and data files together.")
    last_used_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="The bounded lab store evicts the least recently used."
    )

    class Meta:
        ordering = ["experiment", "-rendered_at"]

    def __str__(self) -> str:
        return f"{self.experiment} {self.key[:12]}"

    def file_url(self, fmt: str) -> str:
        """The URL carries the file's content hash, so it can be cached for a year."""
        digest = self.png_digest if fmt == "png" else self.svg_digest
        return reverse("plot-file", args=[self.key, digest, fmt])

    @property
    def png_url(self) -> str:
        return self.file_url("png")

    @property
    def svg_url(self) -> str:
        return self.file_url("svg")

    @property
    def params_query(self) -> str:
        """The parameters as a query string in a fixed order (PostgreSQL's jsonb reorders keys)."""
        return urlencode(sorted(self.params.items()))

    @property
    def lab_url(self) -> str:
        return f"{reverse('lab-experiment', args=[self.experiment])}?{self.params_query}"
