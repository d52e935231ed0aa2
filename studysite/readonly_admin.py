"""Admin for records the site writes itself (attempts, reviews, schedules, rendered plots)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Instructors may look, filter and search; only the product writes these rows."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
