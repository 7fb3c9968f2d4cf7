"""The audit trail in the admin: who did what to which article (read-only)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .forged_input import ForgedSelectionMixin


class AuditEventAdmin(ForgedSelectionMixin, admin.ModelAdmin):
    """The audit trail: read-only, for editors."""

    list_display = ["at", "action", "article_link", "actor", "detail"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    list_select_related = ["actor", "article"]
    search_fields = ["article_title", "detail", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Article", ordering="article_title")
    def article_link(self, event):
        if event.article_id is None:
            return event.article_title
        url = reverse("admin:articles_article_change", args=[event.article_id])
        return format_html("<a href='{}'>{}</a>", url, event.article_title)
