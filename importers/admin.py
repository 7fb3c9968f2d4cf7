"""What a WordPress import recorded, in the admin: its old addresses and which WordPress
post, term or attachment became what. Read-only (the import derived it); a superuser may
delete an old address, so that a wrong redirect stops answering."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import LegacyPath, WordPressAttachment, WordPressPost, WordPressTerm


class ImportRecordAdmin(admin.ModelAdmin):
    """Records are made by the import only: none added by hand, none edited, deleted by superusers."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + list(self.readonly_fields)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class TargetKindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"
    KINDS = {"article": "Article", "section": "Section", "tag": "Tag"}

    def lookups(self, request, model_admin):
        return list(self.KINDS.items())

    def queryset(self, request, queryset):
        if self.value() in self.KINDS:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


@admin.register(LegacyPath)
class LegacyPathAdmin(ImportRecordAdmin):
    list_display = ["path", "kind", "leads_to"]
    list_filter = [TargetKindFilter]
    list_select_related = ["article__section", "section", "tag"]
    search_fields = ["path"]
    search_help_text = "Searches the old addresses (e.g. “/2013/01/hello-world/” or “?p=123”)."
    ordering = ["path"]
    readonly_fields = ["kind", "leads_to"]
    list_per_page = 100

    @admin.display(description="Kind")
    def kind(self, entry):
        return "Article" if entry.article_id else "Section" if entry.section_id else "Tag"

    @admin.display(description="Leads to")
    def leads_to(self, entry):
        if entry.article_id:
            url, label = entry.article.get_absolute_url(), entry.article.title
        elif entry.section_id:
            url, label = entry.section.get_absolute_url(), entry.section.name
        else:
            url, label = reverse("articles:tag", kwargs={"tag_slug": entry.tag.slug}), entry.tag.name
        return format_html('<a href="{}">{}</a> <code>{}</code>', url, label, url)


class MatchingRecordAdmin(ImportRecordAdmin):
    """A record by which a second run of the import finds what the first made: deleting it
    would make that run create a second copy, so it stays."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WordPressPost)
class WordPressPostAdmin(MatchingRecordAdmin):
    list_display = ["wp_id", "post_type", "article", "source", "imported_at"]
    list_filter = ["post_type", "source"]
    list_select_related = ["article"]
    search_fields = ["=wp_id", "article__title", "original_title"]
    search_help_text = "Searches the WordPress ID (exact) and the titles."
    ordering = ["source", "wp_id"]


@admin.register(WordPressTerm)
class WordPressTermAdmin(MatchingRecordAdmin):
    list_display = ["key", "kind", "section", "tag", "author", "source"]
    list_filter = ["kind", "source"]
    list_select_related = ["section", "tag", "author"]
    search_fields = ["key"]
    search_help_text = "Searches the category or tag slug, or the author's login."
    ordering = ["source", "kind", "key"]


@admin.register(WordPressAttachment)
class WordPressAttachmentAdmin(MatchingRecordAdmin):
    list_display = ["url", "stored_name", "parent_wp_id", "source"]
    list_filter = ["source"]
    search_fields = ["url", "title", "stored_name"]
    search_help_text = "Searches the old URL, the title and the stored file name."
    ordering = ["source", "wp_id"]
