"""Corrections suggested by writers: writers propose a note on a published article,
editors approve it (it becomes a correction readers see) or reject it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path

from ..editorial import services, workflow
from ..models import CorrectionSuggestion
from .forged_input import ForgedSelectionMixin
from .steps import apply_to_each
from .widgets import ForgivingAutocompleteMixin

Status = CorrectionSuggestion.Status


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = CorrectionSuggestion
        fields = ["article", "kind", "text"]

    def clean_article(self):
        article = self.cleaned_data["article"]
        if not article.is_published:
            raise forms.ValidationError(
                "Corrections are for articles readers can see; this one is not published."
            )
        return article


class CorrectionSuggestionAdmin(ForgedSelectionMixin, ForgivingAutocompleteMixin, admin.ModelAdmin):
    form = SuggestionForm
    list_display = ["article", "kind", "status", "suggested_by", "suggested_at", "decided_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["article", "suggested_by", "decided_by"]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    actions = ["approve_selected", "reject_selected"]
    change_form_template = "admin/articles/correctionsuggestion/change_form.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if workflow.can_edit_any(request.user):
            return queryset
        return queryset.filter(suggested_by=request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["article", "kind", "text"]
        return ["article", "kind", "text", "status", "suggested_by", "suggested_at", "decided_by",
                "decided_at", "decision_note", "correction"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    def has_change_permission(self, request, obj=None):
        # A suggestion is decided, not edited: approve or reject it (the buttons on its page).
        return False if obj is not None else super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        try:
            saved = services.suggest_correction(obj.article, kind=obj.kind, text=obj.text, by=request.user)
        except services.WorkflowError as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        obj.pk = saved.pk

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path(
                "<int:object_id>/decide/", wrap(self.decide_view), name="articles_correctionsuggestion_decide"
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, object_id):
        suggestion = get_object_or_404(CorrectionSuggestion, pk=object_id)
        if request.method != "POST":
            return redirect("admin:articles_correctionsuggestion_change", suggestion.pk)
        try:
            if "_approve" in request.POST:
                services.approve_correction_suggestion(
                    suggestion, by=request.user, text=request.POST.get("text", "")[:2000]
                )
                self.message_user(request, f"Approved: the correction now shows on “{suggestion.article}”.")
            elif "_reject" in request.POST:
                services.reject_correction_suggestion(
                    suggestion, by=request.user, note=request.POST.get("decision_note", "")[:300]
                )
                self.message_user(request, "Rejected; the writer has been told.")
        except services.WorkflowError as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        return redirect("admin:articles_correctionsuggestion_changelist")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_decide"] = bool(
            obj is not None
            and obj.status == Status.PENDING
            and request.user.has_perm("articles.add_correction")
        )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def _decide(self, request, queryset, decide, done):
        apply_to_each(
            self, request, queryset, decide, done=done, noun="suggestion", name=lambda item: item.article
        )

    @admin.action(description="Approve selected suggestions (readers see them)", permissions=["decide"])
    def approve_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda s: services.approve_correction_suggestion(s, by=request.user),
            "Approved",
        )

    @admin.action(description="Reject selected suggestions", permissions=["decide"])
    def reject_selected(self, request, queryset):
        self._decide(
            request, queryset, lambda s: services.reject_correction_suggestion(s, by=request.user), "Rejected"
        )

    def has_decide_permission(self, request):
        return request.user.has_perm("articles.add_correction")
