"""The model field content uses to name the simulation that illustrates it."""

from __future__ import annotations

from django.db import models

from .figures import validate_plot_spec
from .forms import PlotSpecField, TemplateWidget
from .variants import validate_template


class PlotSpecModelField(models.JSONField):
    """{"experiment": name, "params": {...}} or null; validated against the experiment's spec."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_plot_spec)

    def formfield(self, **kwargs):
        return PlotSpecField(
            required=not self.blank,
            label=kwargs.get("label", self.verbose_name.capitalize()),
            help_text=self.help_text,
        )


class TemplateModelField(models.JSONField):
    """A question template (rnnsim.core.templates) or null; refused if any allowed draw is unanswerable."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_template)

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": TemplateWidget} | kwargs)
