from django.contrib import admin

from .models import NoteSection, StudySet
from .reordering import ReorderableInlinesAdmin, SiblingOrderForm


class NoteSectionInline(admin.StackedInline):
    form = SiblingOrderForm
    model = NoteSection
    extra = 0
    fields = ["order", "title", "anchor", "body"]
    prepopulated_fields = {"anchor": ["title"]}


@admin.register(StudySet)
class StudySetAdmin(ReorderableInlinesAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [NoteSectionInline]


@admin.register(NoteSection)
class NoteSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "study_set", "order", "anchor"]
    list_filter = ["study_set"]
    search_fields = ["title", "body", "anchor"]
    list_select_related = ["study_set"]
