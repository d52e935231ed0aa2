"""Rendered plots: the cache index, and the lock that keeps a plot from being rendered twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .core.plots import EXPORT_PNG, LAYOUTS, PAGE_FILES, WIDE, Layout, svg_file


@dataclass(frozen=True)
class Rendition:
    media: str  # "" for the default
    sizes: str
    srcset: str
    width: int
    height: int


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
    files = models.JSONField(
        default=dict,
        help_text='Each image by rendition, e.g. "narrow.svg": {"name": storage name, "digest": …}.',
    )
    sizes = models.JSONField(default=dict, help_text="Each layout's width and height in CSS pixels.")
    frames = models.JSONField(
        default=dict, help_text="Each layout's panels as drawn (place and data range), to mark answers on."
    )
    data_name = models.CharField(max_length=255, blank=True)
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

    def file_url(self, rendition: str) -> str:
        """The URL carries the file's content hash, so it can be cached for a year."""
        extension = rendition.rsplit(".", 1)[1]
        return reverse("plot-file", args=[self.key, self.files[rendition]["digest"], extension])

    def has_files(self, files: Iterable[str]) -> bool:
        return set(files) <= self.files.keys()

    @property
    def has_page_images(self) -> bool:
        """Drawn for pages (both layouts), not only for the lab's redraw of one."""
        return self.has_files(PAGE_FILES)

    @property
    def has_png(self) -> bool:
        """Drawn for exports too, which embed the wide layout as a PNG."""
        return EXPORT_PNG in self.files

    @property
    def png_url(self) -> str:
        return self.file_url(EXPORT_PNG)

    @property
    def png_name(self) -> str:
        return self.files[EXPORT_PNG]["name"]

    @property
    def svg_url(self) -> str:
        """The SVG to open or download: the page's wide one, or the only layout the lab drew."""
        shown = [svg_file(layout) for layout in reversed(self.layouts) if svg_file(layout) in self.files]
        return self.file_url(shown[0])

    @property
    def layouts(self) -> list[Layout]:
        """The layouts drawn, the page's (wide) one last: a <picture>'s fallback comes after its sources."""
        drawn = [layout for layout in LAYOUTS if layout.name in self.sizes]
        return sorted(drawn, key=lambda layout: layout is WIDE)

    def srcset(self, layout: str) -> str:
        """The layout's SVG with its width: one file, sharp at every screen density."""
        return f"{self.file_url(f'{layout}.svg')} {self.sizes[layout][0]}w"

    @property
    def picture(self) -> list[Rendition]:
        """What a <picture> needs: each layout's media query, srcset and size, the page's (wide) one last."""
        drawn = self.layouts
        return [
            Rendition(
                layout.media if layout is not drawn[-1] else "",
                layout.sizes,
                self.srcset(layout.name),
                *self.sizes[layout.name],
            )
            for layout in drawn
        ]

    def stored_names(self) -> list[str]:
        names = [entry["name"] for entry in self.files.values()] + [self.data_name]
        return [name for name in dict.fromkeys(names) if name]

    @property
    def params_query(self) -> str:
        """The parameters as a query string in a fixed order (PostgreSQL's jsonb reorders keys)."""
        return urlencode(sorted(self.params.items()))

    @property
    def lab_url(self) -> str:
        return f"{reverse('lab-experiment', args=[self.experiment])}?{self.params_query}"
