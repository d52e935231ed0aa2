from django import forms
from django.contrib import admin
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from rnnsim.figures import attach_plots
from rnnsim.whatifs import whatif_of
from studysite.downloads import zipped
from studysite.note_exports import rows_apkg
from studysite.readonly_admin import ReadOnlyAdmin
from studysite.reordering import ReorderableInlinesAdmin, SiblingOrderForm

from .certainty import Report, report
from .correlation import MIN_ATTEMPTS
from .exporting import export_gift, export_moodle_xml, quiz_rows
from .misconception_stats import prevalence
from .misconceptions import Suggested
from .models import Answer, Attempt, Choice, Misconception, Question, Quiz
from .qtypes import KIND_CHOICES, TYPES, QuestionType
from .snapshots import shown
from .statistics import question_stats

OPTION_FIELDS = list(dict.fromkeys(name for kind in TYPES.values() for name in kind.option_fields))


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
        self.instance.validate_choices(kept)


class ChoiceInline(admin.StackedInline):
    """A saved question's choices show the fields its type uses, under its type's names for them."""

    form = SiblingOrderForm
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    min_num = 2
    fields = list(dict.fromkeys(name for kind in TYPES.values() for name in kind.choice_fields))

    def get_fields(self, request, obj: Question | None = None) -> list[str]:
        kind = edited_type(request, obj)
        return list(kind.choice_fields) if kind else self.fields

    def get_min_num(self, request, obj: Question | None = None, **kwargs) -> int:
        if obj is not None and obj.template:
            return 0  # a template's choices are its variants', drawn for each attempt
        kind = edited_type(request, obj)
        return kind.min_choices if kind else self.min_num

    def get_formset(self, request, obj: Question | None = None, **kwargs):
        if kind := edited_type(request, obj):
            kwargs.setdefault("labels", kind.choice_fields)
        return super().get_formset(request, obj, **kwargs)


def edited_type(request, question: Question | None) -> QuestionType | None:
    """The type being saved (so a changed type's fields appear with the form's errors), or the stored one."""
    posted = TYPES.get(request.POST.get("kind", "")) if request.method == "POST" else None
    return posted or (question.type if question is not None else None)


class QuestionInline(admin.StackedInline):
    form = SiblingOrderForm
    model = Question
    extra = 0
    fields = ["order", "text", "explanation", "notes_section", "plot"]
    show_change_link = True


def item_analysis_table(questions: list[Question], *, calibration: Report | None = None) -> SafeString:
    context = {"stats": question_stats(questions), "min_attempts": MIN_ATTEMPTS, "calibration": calibration}
    return render_to_string("admin/quizzes/item_analysis.html", context)


@admin.register(Quiz)
class QuizAdmin(ReorderableInlinesAdmin):
    list_display = ["title", "study_set", "published", "pass_mark", "certainty_marking", "shuffle_choices"]
    list_filter = ["published", "study_set"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["item_analysis"]
    fieldsets = [
        (None, {"fields": ["study_set", "title", "slug", "description"]}),
        (
            "Options",
            {
                "fields": [
                    "published",
                    "pass_mark",
                    "shuffle_questions",
                    "shuffle_choices",
                    "certainty_marking",
                ]
            },
        ),
        ("Item analysis", {"fields": ["item_analysis"], "classes": ["collapse"]}),
    ]
    inlines = [QuestionInline]
    actions = ["export_moodle", "export_anki"]

    @admin.action(description="Export the selected quizzes for Moodle (GIFT and XML, in a zip)")
    def export_moodle(self, request, queryset) -> HttpResponse:
        files = {}
        for quiz in queryset:
            files[f"{quiz.slug}.gift.txt"] = export_gift(quiz).encode()
            files[f"{quiz.slug}.xml"] = export_moodle_xml(quiz)
        return zipped(files, "quizzes-moodle.zip")

    @admin.action(description="Export the selected quizzes as Anki decks (.apkg, in a zip)")
    def export_anki(self, request, queryset) -> HttpResponse:
        files = {f"{q.slug}.apkg": rows_apkg(q.title, f"quiz:{q.slug}", quiz_rows(q)) for q in queryset}
        return zipped(files, "quizzes-anki.zip")

    @admin.display(description="Per question")
    def item_analysis(self, quiz: Quiz) -> SafeString:
        if not quiz.pk:
            return "Save the quiz first."
        rated = Answer.objects.filter(attempt__quiz=quiz, certainty__isnull=False)
        calibration = report(list(rated)) if rated.exists() else None
        return item_analysis_table(list(quiz.questions.all()), calibration=calibration)


class ExplanationFilter(admin.SimpleListFilter):
    """Imported questions may come without an explanation; instructors find them here to write one."""

    title = "explanation"
    parameter_name = "explanation"

    def lookups(self, request, model_admin):
        return [("missing", "Missing"), ("written", "Written")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(explanation__regex=r"^\s*$")
        if self.value() == "written":
            return queryset.exclude(explanation__regex=r"^\s*$")
        return queryset


class QuestionAdminForm(forms.ModelForm):
    """The question with its type picked from the registry and each type's settings as fields."""

    kind = forms.ChoiceField(
        label="Type",
        choices=KIND_CHOICES,
        help_text=" ".join(f"{kind.label}: {kind.help}" for kind in TYPES.values())
        + " After changing the type, save to see the choice fields the new type uses.",
    )

    class Meta:
        model = Question
        fields = ["quiz", "order", "kind", "text", "explanation", "plot", "template", "notes_section"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in OPTION_FIELDS:
            self.initial.setdefault(name, self.instance.options.get(name))

    def clean_template(self) -> dict | None:
        """A template's rules may point only to misconceptions that exist (an import creates unknown ones)."""
        template = self.cleaned_data.get("template")
        named = set(((template or {}).get("misconceptions") or {}).values())
        unknown = sorted(
            named - set(Misconception.objects.filter(slug__in=named).values_list("slug", flat=True))
        )
        if unknown:
            raise forms.ValidationError(
                f"misconceptions: no misconception named {', '.join(unknown)}; add it under "
                "Misconceptions first."
            )
        return template

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = TYPES.get(cleaned.get("kind"))
        if kind is not None:  # only the chosen type's settings are kept
            self.instance.options = {name: cleaned.get(name) for name in kind.option_fields}
        return cleaned


# Each type's settings are form fields of their own; admin builds its form from the declared ones.
QuestionAdminForm.declared_fields.update(
    {name: field for kind in TYPES.values() for name, field in kind.option_fields.items()}
)


@admin.register(Question)
class QuestionAdmin(ReorderableInlinesAdmin):
    form = QuestionAdminForm
    list_display = ["__str__", "quiz", "order", "notes_section", "has_explanation", "preview_link"]
    list_filter = ["quiz", ExplanationFilter]
    search_fields = ["text", "explanation", "choices__text"]
    list_select_related = ["quiz", "notes_section"]
    readonly_fields = ["preview_link", "recorded_answers", "statistics"]
    fields = [
        "quiz",
        "order",
        "kind",
        *OPTION_FIELDS,
        "text",
        "explanation",
        "plot",
        "template",
        "notes_section",
        "preview_link",
        "recorded_answers",
        "statistics",
    ]
    inlines = [ChoiceInline]

    @admin.display(description="Learners' answers")
    def recorded_answers(self, question: Question) -> str:
        count = question.answers.count() if question.pk else 0
        if not count:
            return "Nobody has answered this question yet."
        return (
            f"{count} recorded answer{'s' if count != 1 else ''}. Each keeps the question, its choices, the "
            "learner's pick and its verdict as they were shown: editing, re-importing or deleting this "
            "question or its choices changes what new learners see, never a recorded answer or score."
        )

    @admin.display(description="Explanation", boolean=True)
    def has_explanation(self, question: Question) -> bool:
        return bool(question.explanation.strip())

    @admin.display(description="Preview")
    def preview_link(self, question: Question) -> str:
        if not question.pk:
            return "Save the question to preview it."
        url = reverse("question-preview", args=[question.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">Open as a learner sees it</a>', url)

    @admin.display(description="Item analysis")
    def statistics(self, question: Question) -> SafeString | str:
        return item_analysis_table([question]) if question.pk else "No answers yet."


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "response", "credit", "answered_at"]
    readonly_fields = fields

    @admin.display(description="Response")
    def response(self, answer: Answer) -> str:
        """What the learner gave, as they saw it: the answer's snapshot outlives edits to the choices."""
        seen = shown(answer)
        return seen.type.response_text(seen)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    """Attempts are the learners' record: visible to instructors, never edited by them."""

    list_display = ["public_id", "quiz", "user", "started_at", "finished_at", "score"]
    list_filter = ["quiz", "finished_at"]
    search_fields = ["user__username", "public_id"]
    list_select_related = ["quiz", "user"]
    inlines = [AnswerInline]


@admin.register(Misconception)
class MisconceptionAdmin(admin.ModelAdmin):
    list_display = ["statement", "slug", "notes_section", "whatif"]
    list_select_related = ["notes_section"]
    search_fields = ["statement", "slug"]
    readonly_fields = ["whatif_preview", "prevalence_table", "pointing_choices"]
    fields = [
        "slug",
        "statement",
        "notes_section",
        "whatif",
        "whatif_preview",
        "prevalence_table",
        "pointing_choices",
    ]

    @admin.display(description="Prevalence")
    def prevalence_table(self, misconception: Misconception) -> SafeString:
        """Per quiz: the share of its learners whose answers point to it, and how many resolved it later."""
        if not misconception.pk:
            return SafeString("Save the misconception first.")
        rows = prevalence(misconception)
        return SafeString(render_to_string("admin/quizzes/prevalence.html", {"rows": rows}))

    @admin.display(description="Choices that point to it")
    def pointing_choices(self, misconception: Misconception) -> SafeString:
        choices = misconception.choices.select_related("question__quiz").order_by(
            "question__quiz", "question__order"
        )
        return SafeString(render_to_string("admin/quizzes/pointing_choices.html", {"choices": choices}))

    @admin.display(description="What-if preview")
    def whatif_preview(self, misconception: Misconception) -> SafeString:
        """The belief as a learner's feedback shows it: the prediction, the run's finding and its plot."""
        if not misconception.whatif:
            return SafeString("No what-if simulation: a wrong answer shows the statement and the notes link.")
        belief = Suggested(misconception.slug, misconception.statement, whatif_of(misconception.whatif))
        attach_plots([belief])
        return SafeString(render_to_string("quizzes/_whatif.html", {"belief": belief}))
