"""List filters of the article admin: where an article is in the workflow, and the trash."""

from django.contrib import admin

from ..editorial.desk import mine
from ..models import Article

Status = Article.Status


class TrashFilter(admin.SimpleListFilter):
    title = "trash"
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("yes", "In the trash")]

    def queryset(self, request, queryset):
        return queryset.trashed() if self.value() == "yes" else queryset.active()


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            *Status.choices[:2],
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            Status.choices[3],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.published()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = "whose"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Mine (started by me or with my byline)")]

    def queryset(self, request, queryset):
        return queryset.filter(mine(request.user)) if self.value() == "yes" else queryset
