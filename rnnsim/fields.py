"""The model fields content uses to name the simulations that illustrate it."""

from __future__ import annotations

from django import forms
from django.db import models

from .figures import validate_plot_spec
from .forms import PlotSpecField, TemplateWidget
from .variants import validate_template
from .whatifs import validate_whatif, whatif_choices, whatif_of


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


class WhatIfModelField(models.CharField):
    """The name of a what-if simulation (rnnsim.core.whatifs), or "" for none; picked from the registry."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_whatif)

    def formfield(self, **kwargs):
        return forms.ChoiceField(
            choices=whatif_choices,
            required=not self.blank,
            label=kwargs.get("label", self.verbose_name.capitalize()),
            help_text=self.help_text,
        )

    def plot_specs(self, value: str) -> list[dict]:
        """The plot its what-if draws: what render_plots renders ahead and the lab store keeps."""
        whatif = whatif_of(value)
        return [whatif.plot] if whatif else []
