"""
The editorial workflow in the admin: roles, state buttons, trash, edit conflicts,
revisions, previews and the audit trail. ArticleAdmin (articles/admin.py) mixes
ArticleWorkflowMixin in; the rules themselves live in articles/workflow.py and
the writes in articles/services.py.
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import revisions, services, workflow
from .models import Article, AuditEvent, Correction, PreviewLink

Status = Article.Status
# Fields only an editor may set; a writer sees them read-only.
EDITOR_ONLY_FIELDS = ("published_at", "featured", "redirect_url")


class EditConflict(Exception):
    """Someone else saved the article between this form's validation and its save."""


class ArticleAdminForm(forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set by ArticleWorkflowMixin.get_form: who is filling the form in.
    user = None
    check_conflicts = True

    class Meta:
        model = Article
        # The admin passes the fields of its fieldsets to get_form(); these are the workflow's own.
        fields = ["status", "published_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        if "status" in self.fields and self.user is not None:
            reachable = {Status(self.instance.status)}
            reachable |= {target for target, _ in workflow.allowed_transitions(self.user, self.instance)}
            self.fields["status"].widget.choices = [
                (value, label) for value, label in Status.choices if value in reachable
            ]
            self.fields[
                "status"
            ].help_text = (
                "Or use the buttons at the bottom. Published with a future publish time means scheduled."
            )

    def clean_status(self):
        target = self.data.get("_transition") or self.cleaned_data["status"]
        if target not in Status.values:
            raise ValidationError("Choose a status from the list.")
        refusal = workflow.transition_refusal(self.user, self.instance, target)
        if refusal:
            raise ValidationError(refusal)
        return target

    def clean(self):
        cleaned = super().clean()
        if self.check_conflicts and self.instance.pk:
            self._check_for_newer_save(cleaned.get("loaded_version"))
        return cleaned

    def _check_for_newer_save(self, loaded_version):
        current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if loaded_version == current:
            return
        # The next save of this (merged) form is measured against what is saved now.
        self.data = self.data.copy()
        self.data["loaded_version"] = current
        if loaded_version is None:
            raise ValidationError(
                "This form came without its edit stamp, so it cannot be checked against newer saves. "
                "Check the article below against the saved version and save again.",
                code="edit_conflict",
            )
        history = list(revisions.versions_of(self.instance)[:1])
        latest = history[0] if history else None
        base = revisions.version_with_edit_number(self.instance, loaded_version)
        who = latest.revision.user if latest and latest.revision.user else None
        when = latest.revision.date_created if latest else self.instance.updated_at
        self.conflict = {
            "who": (who.get_full_name() or who.get_username()) if who else "Someone",
            "when": when,
            "changes": revisions.compare(base, latest) if base and latest else [],
        }
        raise ValidationError(
            "%(who)s saved this article at %(when)s, after you opened it. Nothing was saved from this "
            "form; everything you typed is still below. Compare it with their changes listed above, "
            "merge, and save again.",
            code="edit_conflict",
            params={
                "who": self.conflict["who"],
                "when": timezone.localtime(when).strftime("%H:%M on %d %b %Y"),
            },
        )


class TrashFilter(admin.SimpleListFilter):
    title = "trash"
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("yes", "In the trash")]

    def queryset(self, request, queryset):
        return queryset.trashed() if self.value() == "yes" else queryset.active()


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            *Status.choices[:2],
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            Status.choices[3],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.published()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class CorrectionInline(admin.StackedInline):
    """Editors append corrections here; readers see them at the end of the article."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name_plural = "Corrections and updates (shown to readers at the end of the article)"

    def has_change_permission(self, request, obj=None):
        # A published correction is a matter of record: append, don't rewrite.
        return False


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
            except EditConflict:
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
        target, at = obj.status, obj.published_at
        initial_status = form.initial.get("status", Status.DRAFT) if change else Status.DRAFT
        initial_at = form.initial.get("published_at") if change else None
        # The form saves the content; a change of state goes through the services
        # afterwards (rules, publish time, audit trail), see save_related.
        obj._workflow_step = None
        time_changed = "published_at" in form.changed_data
        if target == Status.PUBLISHED and (initial_status != Status.PUBLISHED or time_changed):
            obj._workflow_step = ("publish", at)
            obj.published_at = initial_at
        elif target != initial_status:
            obj._workflow_step = ("move", target)
        obj.status = initial_status
        if change:
            loaded = form.cleaned_data.get("loaded_version")
            claimed = Article.objects.filter(pk=obj.pk, version=loaded).update(version=F("version") + 1)
            if not claimed:
                raise EditConflict
            obj.version = loaded + 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        for correction in formset.save(commit=False):
            correction.created_by = request.user
            correction.save()
            services.record(
                form.instance, AuditEvent.Action.CORRECTED, by=request.user, detail=correction.text
            )
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change:
            services.record(article, AuditEvent.Action.CREATED, by=request.user)
        step = getattr(article, "_workflow_step", None)
        if step and step[0] == "publish":
            article = services.publish_article(article, by=request.user, at=step[1])
        elif step:
            article = services.change_status(article, step[1], by=request.user)
        form.instance.version = article.version
        changed = [
            str(form.fields[name].label or name) for name in form.changed_data if name != "loaded_version"
        ]
        changed += [str(fs.model._meta.verbose_name_plural) for fs in formsets if fs.has_changed()]
        summary = ("Changed " + ", ".join(changed)) if changed else "Saved"
        comment = summary if change else "Created"
        reversion.set_comment(comment)
        # Added last, so the revision holds the bylines, tags and picks as saved.
        reversion.add_to_revision(Article.objects.get(pk=article.pk))

    def delete_model(self, request, obj):
        if obj.trashed_at is None:
            services.trash(obj, by=request.user)
        else:
            services.delete_permanently(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    # -- actions --------------------------------------------------------------

    def _apply(self, request, queryset, step, done):
        moved, refused = 0, []
        for article in queryset:
            try:
                step(article)
                moved += 1
            except services.WorkflowError as refusal:
                refused.append(f"“{article}”: {refusal}")
        if moved:
            self.message_user(request, f"{done}: {moved} article(s).", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

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
        if article.is_published and article.trashed_at is None:
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
        else:
            context["workflow_steps"] = [
                (target, verb) for target, verb in workflow.allowed_transitions(user, Article())
            ]
        context["autosave_key"] = f"{user.pk}:{obj.pk if obj else 'new'}"
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    # -- extra admin pages ----------------------------------------------------

    def get_urls(self):
        from . import previews

        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("preview/", wrap(previews.admin_preview(self)), name="articles_article_preview"),
            path(
                "<int:object_id>/preview/",
                wrap(previews.admin_preview(self)),
                name="articles_article_preview",
            ),
            path(
                "<int:object_id>/share-preview/", wrap(self.share_preview_view), name="articles_article_share"
            ),
            path(
                "preview-links/<int:link_id>/revoke/",
                wrap(self.revoke_preview_view),
                name="articles_article_revoke_preview",
            ),
            path(
                "<int:object_id>/history/<int:version_id>/restore/",
                wrap(self.restore_revision_view),
                name="articles_article_restore_revision",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, object_id):
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied("You do not have permission to see this article.")
        return article

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
                timezone.localtime(link.expires_at).strftime("%d %b %Y %H:%M"),
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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail: read-only, for editors."""

    list_display = ["at", "action", "article_link", "actor", "detail"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    list_select_related = ["actor", "article"]
    search_fields = ["article_title", "detail", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Article", ordering="article_title")
    def article_link(self, event):
        if event.article_id is None:
            return event.article_title
        url = reverse("admin:articles_article_change", args=[event.article_id])
        return format_html("<a href='{}'>{}</a>", url, event.article_title)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "article", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["article", "created_by"]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            services.record(obj.article, AuditEvent.Action.CORRECTED, by=request.user, detail=obj.text)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request)
