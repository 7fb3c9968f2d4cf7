"""
Previews of articles readers cannot see yet, rendered with the real article template.

- Editors preview from the edit form: the form as typed (unsaved) is saved inside a
  transaction that is rolled back after the page is rendered, so the preview shows
  exactly what saving would publish, relations included, and nothing is stored.
- Reviewers without an account get a shareable link: /preview/<signed token>/. The
  token is signed with SECRET_KEY, expires (48 hours by default) and can be revoked.

Previews are never cached and never indexed.
"""

from django.core import signing
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from .models import Article, PreviewLink

PREVIEW_SALT = "articles.preview-link"


def sign_preview_token(token):
    return signing.Signer(salt=PREVIEW_SALT).sign(token)


def unsign_preview_token(signed_token):
    """The token inside a signed preview URL, or None if it was altered or made up."""
    try:
        return signing.Signer(salt=PREVIEW_SALT).unsign(signed_token)
    except signing.BadSignature:
        return None


def private_response(response):
    """Mark a preview response: never stored by any cache, never indexed."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store, no-cache, max-age=0, must-revalidate"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def render_preview(request, article, *, note):
    from .views import article_page_context

    response = render(
        request,
        "articles/article_detail.html",
        {**article_page_context(article), "preview_note": note},
    )
    return private_response(response)


def admin_preview(model_admin):
    """The admin's preview view: POST renders the edit form as typed; GET renders the saved article."""

    def view(request, object_id=None):
        obj = get_object_or_404(Article, pk=object_id) if object_id else None
        if obj is not None and not model_admin.has_view_permission(request, obj):
            return private_response(
                render(request, "403.html", {"exception": "You may not see this article."}, status=403)
            )
        if obj is None and not model_admin.has_add_permission(request):
            return private_response(
                render(request, "403.html", {"exception": "You may not add articles."}, status=403)
            )
        if request.method != "POST":
            if obj is None:
                return redirect("admin:articles_article_add")
            article = Article.objects.with_page_relations().get(pk=obj.pk)
            return render_preview(request, article, note="Preview of the saved version")
        return _preview_unsaved(request, model_admin, obj)

    return view


def _preview_unsaved(request, model_admin, obj):
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    # A preview does not claim the edit lock; saving the form later still checks it.
    form_class.check_conflicts = False
    form = form_class(request.POST, instance=obj)
    formsets, _ = model_admin._create_formsets(request, form.instance, change=obj is not None)
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
    # Everything saved here is rolled back once the page is rendered: signals that
    # would invalidate caches run on commit, so they never fire.
    with transaction.atomic():
        article = form.save()
        for formset in formsets:
            formset.instance = article
            formset.save()
        article = Article.objects.with_page_relations().get(pk=article.pk)
        response = render_preview(request, article, note="Preview of unsaved changes")
        transaction.set_rollback(True)
    return response


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
