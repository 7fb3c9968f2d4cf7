from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html_join
from taggit.models import Tag
from taggit.utils import parse_tags

from . import search
from .admin_accessibility import AccessibleNamesMixin, LabelledRowsFormSet
from .admin_related import RelatedLinkForm, RelatedSuggestionsMixin
from .admin_renames import SectionMergeForm, merge_sections
from .admin_workflow import ArticleWorkflowMixin, CorrectionInline, StateFilter, TrashFilter
from .models import Article, Author, Byline, RelatedLink, Section

TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length


def validate_tag_names(value):
    """Tags as typed in the admin's tag field (comma-separated): each must fit the tag table."""
    names = value if isinstance(value, list | tuple) else parse_tags(value or "")
    too_long = [name for name in names if len(name) > TAG_NAME_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            "Tags can be at most %(max)d characters long; shorten “%(tag)s…”.",
            params={"max": TAG_NAME_MAX_LENGTH, "tag": too_long[0][:30]},
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
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


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class BylineInline(admin.TabularInline):
    model = Byline
    formset = LabelledRowsFormSet
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "Byline (in order)"


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    form = RelatedLinkForm
    fk_name = "from_article"
    formset = LabelledRowsFormSet
    extra = 1
    autocomplete_fields = ["to_article"]
    verbose_name = "related article"
    verbose_name_plural = "Related articles (editor's picks, in order)"


@admin.register(Article)
class ArticleAdmin(AccessibleNamesMixin, RelatedSuggestionsMixin, ArticleWorkflowMixin, admin.ModelAdmin):
    list_display = ["title", "section", "state", "published_at", "byline", "featured"]
    list_filter = [
        StateFilter, TrashFilter, "section", "featured", ("published_at", admin.DateFieldListFilter)
    ]  # fmt: skip
    list_select_related = ["section"]
    search_fields = ["title", "dek", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section"]
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "kicker", "dek", "body", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "featured", "redirect_url"]}),
        (
            "Lead image",
            {"fields": ["lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit"]},
        ),
        (
            "Search engines and sharing",
            {
                "fields": ["seo_title", "seo_description"],
                "classes": ["collapse"],
                "description": "Optional. How the article appears in search results and when shared.",
            },
        ),
        ("Related articles", {"fields": ["suggest_related"]}),
    ]

    # Fields whose values are long: give them the full form width.
    wide_fields = {"title", "slug", "tags", "lead_image_alt", "lead_image_caption", "lead_image_credit"}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.wide_fields:
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} vLargeTextField".strip()
        if field is not None and db_field.name == "dek":
            field.widget.attrs["rows"] = 3
        if field is not None and db_field.name == "tags":
            field.validators.append(validate_tag_names)
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    def get_search_results(self, request, queryset, search_term):
        """The readers' ranked full-text search (articles/search.py), over every status."""
        query = search.parse_query(search_term)
        if not query.is_searchable:
            return super().get_search_results(request, queryset, search_term)
        ranked = search.rank_articles(queryset, query)
        if ORDER_VAR not in request.GET:
            # Best match first, unless the editor sorts by a column.
            ranked = ranked.order_by("-search_rank", "-published_at", "-pk")
        return ranked, False

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        return article.state_label

    @admin.display(description="Byline")
    def byline(self, article):
        return format_html_join(", ", "{}", ((b.author.name,) for b in article.bylines.all()))
