"""Authors (bylines) in the admin."""

from django.contrib import admin

from images.widgets import ImageChooserAdminMixin

from .forged_input import ForgedSelectionMixin
from .widgets import ForgivingAutocompleteMixin


class AuthorAdmin(ForgedSelectionMixin, ForgivingAutocompleteMixin, ImageChooserAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    image_chooser_fields = {"photo": "photo"}
