"""
The editorial workflow in the article admin: who may edit, the save path, state
actions and trash. The rules live in articles/editorial/workflow.py and the writes
in articles/editorial/services.py; the admin only asks and calls them.
"""

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html

from ..editorial import reading, revisions, services, workflow
from ..models import Article, Correction
from .forms import ArticleAdminForm
from .steps import apply_to_each

Status = Article.Status
# Fields only an editor may set; a writer sees them read-only.
EDITOR_ONLY_FIELDS = ("published_at", "featured", "redirect_url")


def step_message(article, step):
    """What the editor is told after a save that moved ``article`` (``step``: the revision comment)."""
    if article.is_published:
        return format_html(
            'Published: “{}”. <a href="{}">View it on the site.</a>',
            article.title,
            article.get_absolute_url(),
        )
    return format_html("{}: “{}”.", step, article.title)


class ArticleWorkflowMixin:
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    actions = [
        "submit_selected",
        "publish_selected",
        "unpublish_selected",
        "trash_selected",
        "restore_selected",
    ]

    # -- permissions ----------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return workflow.can_edit(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            readonly += EDITOR_ONLY_FIELDS
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def _article_or_404(self, request, object_id):
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied("You do not have permission to see this article.")
        return article

    def get_actions(self, request):
        actions = super().get_actions(request)
        # "Delete" moves articles to the trash; see trash_selected.
        actions.pop("delete_selected", None)
        return actions

    # -- saving ---------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            obj = self.get_object(request, object_id)
            if obj is not None:
                refusal = workflow.edit_refusal(request.user, obj)
                if refusal:
                    raise PermissionDenied(refusal)
        for _attempt in range(3):
            try:
                return self._changeform_in_revision(request, object_id, form_url, extra_context)
            except services.EditConflict:
                # Lost the race after validation: everything was rolled back; going round
                # again shows the form as typed, and its validation now reports the conflict.
                continue
            except services.WorkflowError as refusal:
                raise PermissionDenied(str(refusal)) from refusal
        raise PermissionDenied(
            "Others keep saving this article right now. Go back and save again in a moment."
        )

    def _changeform_in_revision(self, request, object_id, form_url, extra_context):
        if request.method != "POST":
            article = self.get_object(request, object_id) if object_id else None
            if article is not None and self.has_change_permission(request, article):
                revisions.ensure_baseline(article, user=request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision(manage_manually=True):
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # The form has set the status asked for; the service checks the step against
        # the rules, claims the edit version and saves the row, all at once.
        step = services.save_article(
            obj,
            by=request.user,
            loaded_status=form.initial.get("status", obj.status) if change else None,
            loaded_version=form.cleaned_data.get("loaded_version") if change else None,
            publish_time_changed="published_at" in form.changed_data,
        )
        reversion.set_comment(step)
        if step:
            request.workflow_step_message = step_message(obj, step)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        for correction in formset.save(commit=False):
            services.file_correction(correction, by=request.user)
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = [
            str(form.fields[name].label or name) for name in form.changed_data if name != "loaded_version"
        ]
        changed += [str(fs.model._meta.verbose_name_plural) for fs in formsets if fs.has_changed()]
        summary = ("Changed " + ", ".join(changed)) if changed else "Saved"
        step = reversion.get_comment()
        reversion.set_comment("; ".join(filter(None, [summary if change else "Created", step])))
        # Added last and loaded afresh (the form's instance holds the bylines as they
        # were prefetched), so the revision holds the bylines, tags and picks as saved.
        reversion.add_to_revision(Article.objects.get(pk=form.instance.pk))

    def delete_model(self, request, obj):
        if obj.trashed_at is None:
            services.trash(obj, by=request.user)
        else:
            services.delete_permanently(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # After a save that moved the article, say what happened instead of Django's
        # "was changed successfully" (set by save_model, used once).
        step_said = getattr(request, "workflow_step_message", None)
        if step_said and level == messages.SUCCESS:
            request.workflow_step_message = None
            message = step_said
        return super().message_user(request, message, level, *args, **kwargs)

    # -- actions --------------------------------------------------------------

    def _apply(self, request, queryset, step, done):
        apply_to_each(self, request, queryset, step, done=done, noun="article")

    @admin.action(description="Submit selected articles for review")
    def submit_selected(self, request, queryset):
        self._apply(request, queryset, lambda a: services.submit_for_review(a, by=request.user), "Submitted")

    @admin.action(description="Publish selected articles (at their publish time)", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, lambda a: services.publish_article(a, by=request.user), "Published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, lambda a: services.unpublish(a, by=request.user), "Unpublished")

    @admin.action(description="Move selected articles to the trash", permissions=["delete"])
    def trash_selected(self, request, queryset):
        self._apply(request, queryset, lambda a: services.trash(a, by=request.user), "Moved to the trash")

    @admin.action(description="Restore selected articles from the trash", permissions=["delete"])
    def restore_selected(self, request, queryset):
        self._apply(request, queryset, lambda a: services.restore_from_trash(a, by=request.user), "Restored")

    def view_on_site(self, article):
        """Readers' page once it is public; until then (or once gone) the editors' preview."""
        if article.is_published:
            return article.get_absolute_url()
        return reverse("admin:articles_article_preview", args=[article.pk])

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    # -- change form context --------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        user = request.user
        if obj is not None:
            context["workflow_steps"] = (
                workflow.allowed_transitions(user, obj) if workflow.can_edit(user, obj) else []
            )
            context["preview_links"] = obj.preview_links.usable()
            context["can_share_preview"] = workflow.can_edit(user, obj)
            context["may_suggest_correction"] = (
                obj.is_published
                and not workflow.can_edit(user, obj)
                and user.has_perm("articles.add_correctionsuggestion")
            )
        else:
            context["workflow_steps"] = [
                (target, verb) for target, verb in workflow.allowed_transitions(user, Article())
            ]
        context["autosave_key"] = f"{user.pk}:{obj.pk if obj else 'new'}"
        body = context["adminform"].form["body"].value() if "body" in context["adminform"].form.fields else ""
        context["word_count"] = reading.word_count(body)
        context["reading_minutes"] = reading.reading_minutes(context["word_count"])
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
