"""
Shared previews: a reviewer without an account reads an article that is not public
yet at /preview/<signed token>/. The token is signed with SECRET_KEY, expires (48
hours by default) and can be revoked. Previews are never cached and never indexed.
(Editors' own previews from the edit form are in articles/admin/previews.py.)
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ..models import Article, PreviewLink, unsign_preview_token
from .pages import private_response, render_preview


@require_GET
def shared_preview(request, signed_token):
    """The read-only page behind a shareable preview link."""
    token = unsign_preview_token(signed_token)
    link = PreviewLink.objects.filter(token=token).select_related("article").first() if token else None
    if link is None:
        return _link_refused(
            request, "This preview link is not valid", "Check that the whole link was copied.", 404
        )
    if link.is_revoked:
        return _link_refused(
            request, "This preview link was withdrawn", "Ask the editor for a new link.", 410
        )
    if link.is_expired:
        return _link_refused(request, "This preview link has expired", "Ask the editor for a new link.", 410)
    article = link.article
    if article.trashed_at is not None:
        return _link_refused(request, "This article was withdrawn", "It is no longer being prepared.", 410)
    if Article.objects.published().filter(pk=article.pk).exists():
        return redirect(article)
    article = Article.objects.with_page_relations().get(pk=article.pk)
    return render_preview(
        request, article, note="Preview — not published yet. Please do not share this link further."
    )


def _link_refused(request, title, advice, status):
    response = render(
        request, "articles/preview_refused.html", {"title": title, "advice": advice}, status=status
    )
    return private_response(response)
