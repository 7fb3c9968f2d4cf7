"""
Previews in the article admin: the edit form as typed (unsaved), the saved article,
and shareable read-only links for reviewers without an account.

An unsaved preview saves the form inside a transaction that is rolled back once the
page is rendered, so it shows exactly what saving would publish, relations included,
and nothing is stored (the signals that invalidate caches run on commit only).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from ..editorial import services, workflow
from ..models import Article, PreviewLink
from ..reader.pages import private_response, render_preview


class ArticlePreviewMixin:
    """For ArticleAdmin: preview pages, and sharing or revoking preview links."""

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("preview/", wrap(self.preview_view), name="articles_article_preview"),
            path("<int:object_id>/preview/", wrap(self.preview_view), name="articles_article_preview"),
            path(
                "<int:object_id>/share-preview/", wrap(self.share_preview_view), name="articles_article_share"
            ),
            path(
                "preview-links/<int:link_id>/revoke/",
                wrap(self.revoke_preview_view),
                name="articles_article_revoke_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        """POST renders the edit form as typed; GET renders the saved article."""
        obj = get_object_or_404(Article, pk=object_id) if object_id else None
        if obj is not None and not self.has_view_permission(request, obj):
            return private_response(
                render(request, "403.html", {"exception": "You may not see this article."}, status=403)
            )
        if obj is None and not self.has_add_permission(request):
            return private_response(
                render(request, "403.html", {"exception": "You may not add articles."}, status=403)
            )
        if request.method != "POST":
            if obj is None:
                return redirect("admin:articles_article_add")
            article = Article.objects.with_page_relations().get(pk=obj.pk)
            return render_preview(request, article, note="Preview of the saved version")
        return self._preview_unsaved(request, obj)

    def _preview_unsaved(self, request, obj):
        form_class = self.get_form(request, obj, change=obj is not None)
        # A preview does not claim the edit lock; saving the form later still checks it.
        form_class.check_conflicts = False
        form = form_class(request.POST, instance=obj)
        formsets = self._bound_formsets(request, form.instance)
        if not (form.is_valid() and all(formset.is_valid() for formset in formsets)):
            errors = [
                f"{form.fields[name].label if name in form.fields else 'Form'}: {' '.join(msgs)}"
                for name, msgs in form.errors.items()
            ]
            errors += [str(error) for formset in formsets for error in formset.non_form_errors()]
            response = render(
                request, "articles/preview_errors.html", {"errors": errors or ["Check the form."]}, status=400
            )
            return private_response(response)
        with transaction.atomic():
            article = form.save()
            for formset in formsets:
                formset.instance = article
                formset.save()
            article = Article.objects.with_page_relations().get(pk=article.pk)
            response = render_preview(request, article, note="Preview of unsaved changes")
            transaction.set_rollback(True)
        return response

    def _bound_formsets(self, request, instance):
        """The inline formsets bound to the POSTed form, with the prefixes the change form gives them."""
        formsets, seen = [], {}
        for formset_class, inline in self.get_formsets_with_inlines(request, instance):
            prefix = formset_class.get_default_prefix()
            seen[prefix] = seen.get(prefix, 0) + 1
            if seen[prefix] > 1 or not prefix:
                prefix = f"{prefix}-{seen[prefix]}"
            formsets.append(
                formset_class(
                    data=request.POST,
                    files=request.FILES,
                    instance=instance,
                    prefix=prefix,
                    queryset=inline.get_queryset(request),
                )
            )
        return formsets

    def share_preview_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if request.method != "POST":
            return redirect("admin:articles_article_change", article.pk)
        try:
            link = services.share_preview(article, by=request.user)
        except services.WorkflowError as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        url = request.build_absolute_uri(link.get_absolute_url())
        self.message_user(
            request,
            format_html(
                "Preview link (read-only, works until {}): <a href='{}'>{}</a>",
                date_format(timezone.localtime(link.expires_at), "DATETIME_FORMAT"),
                url,
                url,
            ),
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def revoke_preview_view(self, request, link_id):
        link = get_object_or_404(PreviewLink.objects.select_related("article"), pk=link_id)
        if request.method == "POST":
            if not workflow.can_edit(request.user, link.article):
                raise PermissionDenied("You may not revoke preview links of this article.")
            services.revoke_preview(link, by=request.user)
            self.message_user(request, "The preview link was revoked; it no longer works.", messages.SUCCESS)
        return redirect("admin:articles_article_change", link.article_id)
