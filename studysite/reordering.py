"""Saving reordered inline rows without tripping the unique order constraints."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms.models import BaseInlineFormSet


class SiblingOrderForm(forms.ModelForm):
    """An inline row whose order is checked against its siblings by the formset, not the database.

    Checking one row against the saved rows would reject every swap (the other row still holds the
    target order); the formset compares all the new orders with each other instead.
    """

    def validate_constraints(self) -> None:
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions() | {"order"})
        except ValidationError as error:
            self._update_errors(error)


def park_reordered_rows(formset: BaseInlineFormSet, field: str = "order") -> None:
    """Move rows whose order changes, or that are being deleted, to free positions first.

    Swapping two questions' orders saves one row while the other still holds the target order; a
    unique (parent, order) constraint would reject that. The formset has already checked that the
    final orders are distinct, so parking the moving rows above every current order makes any
    permutation safe. The caller's transaction keeps the parked state invisible.
    """
    moving = [
        form.instance.pk
        for form in formset.initial_forms
        if form.instance.pk and (field in form.changed_data or formset._should_delete_form(form))
    ]
    if not moving:
        return
    siblings = formset.model._default_manager.filter(**{formset.fk.name: formset.instance})
    top = siblings.aggregate(top=Max(field))["top"] or 0
    for offset, pk in enumerate(moving, start=1):
        siblings.filter(pk=pk).update(**{field: top + offset})


class ReorderableInlinesAdmin(admin.ModelAdmin):
    """A ModelAdmin whose inlines may be reordered freely in one save."""

    def save_formset(self, request, form, formset, change) -> None:
        if "order" in {f.name for f in formset.model._meta.get_fields()}:
            park_reordered_rows(formset)
        super().save_formset(request, form, formset, change)
