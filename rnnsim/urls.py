from django.urls import path, re_path

from . import template_preview, views

urlpatterns = [
    re_path(
        r"^plots/(?P<key>[0-9a-f]{64})-(?P<digest>[0-9a-f]{16})\.(?P<fmt>png|svg)$",
        views.plot_file,
        name="plot-file",
    ),
    path("lab/", views.lab_index, name="lab-index"),
    path("lab/templates/preview/", template_preview.template_preview, name="template-preview"),
    path("lab/<slug:name>/figure/", views.lab_figure, name="lab-figure"),
    path("lab/<slug:name>/", views.lab_experiment, name="lab-experiment"),
    re_path(r"^lab/(?P<name>[-a-z0-9]+)/data\.(?P<fmt>csv|json)$", views.lab_data, name="lab-data"),
]
