"""Tags in the admin: taggit's tag admin with a merge that keeps old addresses."""

from taggit.admin import TagAdmin as TaggitTagAdmin

from .forged_input import ForgedSelectionMixin
from .merges import TagMergeForm, merge_tags


class TagAdmin(ForgedSelectionMixin, TaggitTagAdmin):
    """taggit's tag admin, with a merge that knows the articles' own tag table and keeps URLs."""

    action_form = TagMergeForm
    actions = [merge_tags]
    inlines = []
