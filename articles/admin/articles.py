"""The article admin: the list, the form's fields and inlines, and search. Its behaviour
comes from one mixin per concern (workflow, previews, history, related articles,
accessible names), each in its own module."""

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR, ChangeListSearchForm
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from taggit.models import Tag
from taggit.utils import parse_tags

from images.widgets import ImageChooserAdminMixin

from .. import search
from ..editorial.desk import DESK_ORDERING
from ..models import Byline, RelatedLink
from .accessibility import AccessibleNamesMixin, LabelledRowsFormSet
from .corrections import CorrectionInline
from .filters import MineFilter, StateFilter, TrashFilter
from .forged_input import ForgedSelectionMixin
from .history import ArticleHistoryMixin
from .previews import ArticlePreviewMixin
from .related import RelatedLinkForm, RelatedSuggestionsMixin
from .tag_field import TagSuggestionsMixin
from .widgets import ForgivingAutocompleteMixin
from .workflow import ArticleWorkflowMixin

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


def changelist_search_term(request):
    """The search term the changelist searches for: none when its search form refuses what
    was sent (a NUL), as the changelist then does."""
    form = ChangeListSearchForm(request.GET)
    if not form.is_valid():
        return ""
    return form.cleaned_data.get(SEARCH_VAR) or ""


def _time_element(moment):
    """A time in the list's columns: short, in the site's date style, machine-readable."""
    if moment is None:
        return None
    return format_html(
        '<time datetime="{}">{}</time>',
        moment.isoformat(),
        date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT"),
    )


class BylineInline(ForgivingAutocompleteMixin, admin.TabularInline):
    model = Byline
    formset = LabelledRowsFormSet
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "Byline (in order)"


class RelatedLinkInline(ForgivingAutocompleteMixin, admin.TabularInline):
    model = RelatedLink
    form = RelatedLinkForm
    fk_name = "from_article"
    formset = LabelledRowsFormSet
    extra = 1
    autocomplete_fields = ["to_article"]
    verbose_name = "related article"
    verbose_name_plural = "Related articles (editor's picks, in order)"


class ArticleAdmin(
    ForgedSelectionMixin,
    ForgivingAutocompleteMixin,
    ImageChooserAdminMixin,
    TagSuggestionsMixin,
    AccessibleNamesMixin,
    RelatedSuggestionsMixin,
    ArticlePreviewMixin,
    ArticleHistoryMixin,
    ArticleWorkflowMixin,
    admin.ModelAdmin,
):
    list_display = ["title", "state", "section", "byline", "publish_time", "last_edited"]
    list_filter = [
        MineFilter, StateFilter, TrashFilter, "section", "featured", ("published_at", admin.DateFieldListFilter)
    ]  # fmt: skip
    list_select_related = ["section"]
    search_fields = ["title", "dek", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section"]
    image_chooser_fields = {"lead_image": "lead"}
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline]
    save_on_top = True

    class Media:
        # The body editor's height, its figures, quotes, tables and embeds, and its toolbar glyphs.
        css = {"all": ["css/admin-body-editor.css"]}

    # The order of work on deadline: the words, who and where, tags, image, then when
    # it goes out. The change form (templates/admin/articles/article/change_form.html)
    # puts the bylines under "Section and bylines", the picks under "Related articles"
    # and the corrections last.
    fieldsets = [
        (None, {"fields": ["title", "kicker", "dek", "body"]}),
        ("Section and bylines", {"fields": ["section"]}),
        (None, {"fields": ["tags"]}),  # no heading of its own: the field says it
        (
            "Lead image",
            {"fields": ["lead_image"]},
        ),
        ("Publishing", {"fields": ["status", "published_at", "featured", "redirect_url", "slug"]}),
        ("Related articles", {"fields": ["suggest_related"]}),
        (
            "Search engines and sharing",
            {
                "fields": ["seo_title", "seo_description"],
                "classes": ["collapse"],
                "description": "Optional. How the article appears in search results and when shared.",
            },
        ),
    ]

    # Fields whose values are long: give them the full form width.
    wide_fields = {"title", "slug", "tags"}

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
        return super().get_queryset(request).select_related("lead_image").prefetch_related("bylines__author")

    def get_ordering(self, request):
        if search.parse_query(changelist_search_term(request)).is_searchable:
            return [F("search_rank").desc()]  # see get_search_results
        return DESK_ORDERING

    def get_search_results(self, request, queryset, search_term):
        """The readers' ranked full-text search (articles/search/), over every status."""
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

    @admin.display(description="Publish time", ordering="published_at", empty_value="—")
    def publish_time(self, article):
        return _time_element(article.published_at)

    @admin.display(description="Last edited", ordering="updated_at", empty_value="—")
    def last_edited(self, article):
        return _time_element(article.updated_at)

    @admin.display(description="Bylines")
    def byline(self, article):
        return format_html_join(", ", "{}", ((b.author.name,) for b in article.bylines.all()))
