"""The article form's tags: suggestions of existing tags while typing, and a warning
after saving when a new tag nearly matches an old one (static/js/article-form.js asks
the same question while the editor types)."""

from django.contrib import messages
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from taggit.utils import parse_tags

from ..editorial import tag_names

MAX_CHECKED_NAMES = 50


class TagSuggestionsMixin:
    def get_urls(self):
        return [
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions_view),
                name="articles_article_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions_view(self, request):
        """JSON: ``matches`` for the term ``q``; ``near`` pairs for the names in ``check`` (one a line)."""
        if not self.has_view_or_change_permission(request):
            return JsonResponse({"error": "You may not see tags."}, status=403)
        checked = request.GET.get("check", "").splitlines()[:MAX_CHECKED_NAMES]
        return JsonResponse(
            {
                "matches": tag_names.suggestions(request.GET.get("q", "")),
                "near": tag_names.near_duplicates([name[:100] for name in checked]),
            }
        )

    def save_related(self, request, form, formsets, change):
        if "tags" in form.changed_data:
            before = set(form.initial.get("tags") and [t.name for t in form.initial["tags"]] or [])
            typed = form.cleaned_data.get("tags") or []
            typed = typed if isinstance(typed, list | tuple) else parse_tags(typed)
            near = tag_names.near_duplicates([name for name in typed if name not in before])
        else:
            near = []
        super().save_related(request, form, formsets, change)
        if near:
            self.message_user(
                request,
                format_html(
                    "Check the new tags: {} If they mean the same, use the existing tag, or merge them "
                    "under Tags.",
                    format_html_join(
                        " ", "“{}” is close to the existing “{}”.", ((new, old) for new, old in near)
                    ),
                ),
                messages.WARNING,
            )
