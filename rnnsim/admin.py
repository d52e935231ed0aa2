from django.contrib import admin
from django.utils.html import format_html

from studysite.readonly_admin import ReadOnlyAdmin

from .models import RenderedPlot


@admin.register(RenderedPlot)
class RenderedPlotAdmin(ReadOnlyAdmin):
    """The plot cache, for instructors checking what is rendered; plots are made, never edited here."""

    list_display = ["experiment", "title", "status", "rendered_at", "render_seconds"]
    list_filter = ["experiment", "status"]
    search_fields = ["title", "caption", "key"]
    readonly_fields = ["thumbnail", *[f.name for f in RenderedPlot._meta.fields]]

    class Media:
        css = {"all": ["rnnsim/plot_widget.css"]}

    @admin.display(description="Plot")
    def thumbnail(self, plot: RenderedPlot) -> str:
        if plot.status != RenderedPlot.Status.READY:
            return "Rendering…"
        return format_html('<img class="plot-thumbnail" src="{}" alt="{}">', plot.svg_url, plot.alt)
