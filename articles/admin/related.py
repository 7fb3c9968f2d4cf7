"""
The article admin's related-articles tools: the current suggestions with their
reasons and a button to pin one as a pick, and two-way picks in one click.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path

from .. import related
from ..models import Article, RelatedLink


class RelatedLinkForm(forms.ModelForm):
    both_ways = forms.BooleanField(
        label="Link back too",
        required=False,
        help_text="Also add this article to the other one's picks.",
    )

    class Meta:
        model = RelatedLink
        fields = ["to_article", "position"]


class RelatedSuggestionsMixin:
    """For ArticleAdmin: the suggestions panel, pinning, and the inline's "Link back too"."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["related_suggestions"] = related.suggestions_with_reasons(obj)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not RelatedLink:
            return
        for link_form in formset.forms:
            link = link_form.instance
            wanted = link_form.cleaned_data.get("both_ways") and not link_form.cleaned_data.get("DELETE")
            if wanted and link.pk:
                self._link_back(request, link.to_article, link.from_article)

    def _link_back(self, request, article, other):
        if not self.has_change_permission(request, article):
            self.message_user(
                request,
                f"“{other}” was not added to the picks of “{article}”: you may not edit that article.",
                messages.WARNING,
            )
            return False
        related.add_pick(article, other)
        return True

    def get_urls(self):
        return [
            path(
                "<int:object_id>/pin/<int:other_id>/",
                self.admin_site.admin_view(self.pin_suggestion_view),
                name="articles_article_pin",
            ),
            *super().get_urls(),
        ]

    def pin_suggestion_view(self, request, object_id, other_id):
        """Pin a suggested article as the last pick (POST; ``both_ways`` pins it back too)."""
        article = get_object_or_404(Article, pk=object_id)
        if request.method != "POST":
            return redirect("admin:articles_article_change", article.pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied("You may not change this article's related articles.")
        other = get_object_or_404(Article, pk=other_id)
        try:
            related.add_pick(article, other)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect("admin:articles_article_change", article.pk)
        message = f"“{other}” is now a pick of this article"
        if request.POST.get("both_ways") and self._link_back(request, other, article):
            message += ", and this article one of its picks"
        self.message_user(request, message + ".", messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)
