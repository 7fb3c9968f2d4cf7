"""Corrections and updates in the admin: an inline on the article form, and their own list."""

from django.contrib import admin

from ..editorial import services
from ..models import Correction
from .forged_input import ForgedSelectionMixin
from .widgets import ForgivingAutocompleteMixin


class CorrectionInline(admin.StackedInline):
    """Editors append corrections here; readers see them at the end of the article."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name_plural = "Corrections and updates (shown to readers at the end of the article)"

    def has_change_permission(self, request, obj=None):
        # A published correction is a matter of record: append, don't rewrite.
        return False


class CorrectionAdmin(ForgedSelectionMixin, ForgivingAutocompleteMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "article", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["article", "created_by"]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        # Corrections are never changed once filed (see has_change_permission).
        services.file_correction(obj, by=request.user)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request)
