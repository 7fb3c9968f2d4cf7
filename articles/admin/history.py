"""The article's history in the admin: revisions with a diff between any two, restore, and the audit trail."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from ..editorial import revisions, services, workflow


class ArticleHistoryMixin:
    """For ArticleAdmin, beside ArticleWorkflowMixin (whose ``_article_or_404`` it uses)."""

    def get_urls(self):
        return [
            path(
                "<int:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_revision_view),
                name="articles_article_restore_revision",
            ),
            *super().get_urls(),
        ]

    def restore_revision_view(self, request, object_id, version_id):
        article = self._article_or_404(request, object_id)
        version = get_object_or_404(revisions.versions_of(article), pk=version_id)
        if request.method != "POST":
            return redirect("admin:articles_article_history", article.pk)
        try:
            services.restore_revision(article, version, by=request.user)
        except services.WorkflowError as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return redirect("admin:articles_article_history", article.pk)
        self.message_user(
            request,
            "The earlier revision was restored as a new revision; the previous text is still in the history.",
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def history_view(self, request, object_id, extra_context=None):
        """Revisions (with a diff between any two and a restore button) and the audit trail."""
        article = self._article_or_404(request, object_id)
        versions = list(revisions.versions_of(article))
        by_id = {version.pk: version for version in versions}
        old = by_id.get(_int(request.GET.get("old")))
        new = by_id.get(_int(request.GET.get("new")))
        if versions and (old is None or new is None):
            new = new or versions[0]
            old = old or (versions[1] if len(versions) > 1 else versions[0])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"History: {article}",
            "subtitle": None,
            "original": article,
            "object": article,
            "versions": versions,
            "old": old,
            "new": new,
            "changes": revisions.compare(old, new) if old and new and old != new else [],
            "can_restore": workflow.can_edit(request.user, article),
            "audit_events": article.audit_events.select_related("actor")[:200],
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/history.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
