"""Sections in the admin: order and navigation in the list, merging (old addresses redirect)."""

from django.contrib import admin
from django.db.models import Count

from ..models import Section
from .forged_input import ForgedSelectionMixin
from .merges import SectionMergeForm, merge_sections


class SectionAdmin(ForgedSelectionMixin, admin.ModelAdmin):
    action_form = SectionMergeForm
    actions = [merge_sections]
    list_display = ["name", "slug", "position", "show_in_navigation", "article_count"]
    list_editable = ["position", "show_in_navigation"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # A GROUP BY query drops Meta.ordering; the autocomplete pages through this one.
        sections = super().get_queryset(request).annotate(article_count=Count("articles"))
        return sections.order_by(*Section._meta.ordering)

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, section):
        return section.article_count
