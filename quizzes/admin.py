from django import forms
from django.contrib import admin

from .models import Choice, Question, Quiz


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    """Check the choices as they will be saved: exactly one correct, orders distinct."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        # ModelForm validation has already copied each form's data onto its instance.
        kept = [
            form.instance for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]
        Question.validate_choices(kept)


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    min_num = 2
    fields = ["order", "text", "is_correct", "feedback"]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "text", "explanation", "notes_section"]
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "study_set", "published", "pass_mark", "shuffle_questions", "shuffle_choices"]
    list_filter = ["published", "study_set"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiz", "order", "notes_section"]
    list_filter = ["quiz"]
    search_fields = ["text", "explanation", "choices__text"]
    list_select_related = ["quiz", "notes_section"]
    inlines = [ChoiceInline]
