"""Admin actions that merge sections and tags; the old URLs keep answering with a 301."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from taggit.models import Tag

from ..lasting_urls import changes
from ..models import Section


class SectionMergeForm(ActionForm):
    merge_into = forms.ModelChoiceField(
        queryset=Section.objects.all(), required=False, label="into", empty_label="(section to keep)"
    )


class TagMergeForm(ActionForm):
    merge_into = forms.CharField(
        required=False, label="into", widget=forms.TextInput(attrs={"placeholder": "tag to keep (name)"})
    )


@admin.action(description="Merge selected sections into the section chosen beside", permissions=["delete"])
def merge_sections(modeladmin, request, queryset):
    target = Section.objects.filter(pk=request.POST.get("merge_into") or None).first()
    if target is None:
        modeladmin.message_user(request, "Choose the section to keep beside the action.", messages.ERROR)
        return
    sources = [section for section in queryset if section.pk != target.pk]
    changes.merge_sections(sources, target)
    modeladmin.message_user(
        request,
        f"Merged {len(sources)} section(s) into “{target}”. Their old addresses redirect there.",
        messages.SUCCESS,
    )


@admin.action(description="Merge selected tags into the tag named beside", permissions=["delete"])
def merge_tags(modeladmin, request, queryset):
    name = (request.POST.get("merge_into") or "").strip()
    target = Tag.objects.filter(name__iexact=name).first() or Tag.objects.filter(slug=name).first()
    if target is None:
        modeladmin.message_user(
            request, f"There is no tag named “{name[:80]}” to merge into.", messages.ERROR
        )
        return
    sources = [tag for tag in queryset if tag.pk != target.pk]
    changes.merge_tags(sources, target)
    modeladmin.message_user(
        request,
        f"Merged {len(sources)} tag(s) into “{target}”. Their old addresses redirect there.",
        messages.SUCCESS,
    )
