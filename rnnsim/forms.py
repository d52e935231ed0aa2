"""Forms generated from an experiment's parameter spec: the lab's sliders and the admin plot picker."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .core.experiments import EXPERIMENTS, Experiment, Param, ParameterError
from .figures import PlotSpec, experiment_choices, resolve, spec_from_json


def param_field(param: Param) -> forms.Field:
    """Raw text: the experiment's own spec parses it, so the bounds and messages live in one place."""
    return forms.CharField(label=param.label or param.name, help_text=param.help, required=False)


class ExperimentForm(forms.Form):
    """The lab form: one field per parameter of the experiment, validated by its spec."""

    def __init__(self, experiment: Experiment, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.experiment = experiment
        for param in experiment.params:
            self.fields[param.name] = param_field(param)

    def clean(self) -> dict:
        """Parameters missing from the request take their defaults; one sent empty is a mistake to name."""
        empty = [name for name in self.data if name in self.fields and not str(self.data[name]).strip()]
        if empty:
            raise ValidationError(f"Enter a value for {', '.join(empty)}.")
        raw = {name: value for name, value in self.cleaned_data.items() if name in self.data}
        try:
            self.spec = resolve(self.experiment.name, raw)
        except ParameterError as error:
            raise ValidationError(str(error)) from None
        return self.cleaned_data


class PlotSpecWidget(forms.Widget):
    """An experiment picker with that experiment's parameters and a live preview, for admin."""

    template_name = "rnnsim/widgets/plot_spec.html"

    class Media:
        js = ["rnnsim/plot_widget.js"]
        css = {"all": ["rnnsim/plot_widget.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        current = value if isinstance(value, dict) else {}
        chosen = current.get("experiment", "")
        values = current.get("params", {}) if isinstance(current.get("params"), dict) else {}
        context["widget"]["experiments"] = [
            {
                "name": experiment_name,
                "title": experiment.title,
                "selected": experiment_name == chosen,
                "params": [
                    {
                        "param": p,
                        "input_name": f"{name}__{experiment_name}__{p.name}",
                        "value": values.get(p.name, p.default) if experiment_name == chosen else p.default,
                    }
                    for p in experiment.params
                ],
            }
            for experiment_name, experiment in EXPERIMENTS.items()
        ]
        context["widget"]["choices"] = experiment_choices()
        context["widget"]["chosen"] = chosen
        return context

    def value_from_datadict(self, data, files, name):
        experiment = data.get(f"{name}__experiment", "")
        if not experiment:
            return None
        prefix = f"{name}__{experiment}__"
        params = {key.removeprefix(prefix): value for key, value in data.items() if key.startswith(prefix)}
        return {"experiment": experiment, "params": params}


class PlotSpecField(forms.Field):
    """Cleans to {"experiment": name, "params": every parameter, validated}, or None for no plot."""

    widget = PlotSpecWidget

    def to_python(self, value) -> dict | None:
        try:
            spec: PlotSpec | None = spec_from_json(value)
        except ParameterError as error:
            raise ValidationError(str(error), code="invalid_plot") from None
        return spec.as_json() if spec else None

    def prepare_value(self, value):
        return value


class TemplateWidget(forms.Textarea):
    """A question template's JSON, with a button that shows five sample variants before saving."""

    template_name = "rnnsim/widgets/question_template.html"

    class Media:
        js = ["rnnsim/template_widget.js"]
        css = {"all": ["rnnsim/plot_widget.css"]}

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"rows": 12, "cols": 80, "spellcheck": "false"} | (attrs or {}))
