"""
Newsroom's admin: every registration is here; each ModelAdmin lives in the module of
its concern.

- articles: the article list and form (fields, inlines, search)
- workflow, forms, filters: who may edit, the save path, state actions, trash, conflicts
- previews, history: previews and preview links; revisions and the audit trail
- related: suggested related articles and pinning them as picks
- corrections, audit: corrections and the audit trail's own lists
- suggestions: corrections writers suggest and editors approve or reject
- sections, authors, tags, merges: the rest of the content, and merging sections or tags
- accessibility: names for inputs that Django renders without a label
"""

from django.contrib import admin
from taggit.models import Tag

from ..models import Article, AuditEvent, Author, Correction, CorrectionSuggestion, Section
from .articles import ArticleAdmin
from .audit import AuditEventAdmin
from .authors import AuthorAdmin
from .corrections import CorrectionAdmin
from .sections import SectionAdmin
from .suggestions import CorrectionSuggestionAdmin
from .tags import TagAdmin

admin.site.register(Article, ArticleAdmin)
admin.site.register(Section, SectionAdmin)
admin.site.register(Author, AuthorAdmin)
admin.site.register(Correction, CorrectionAdmin)
admin.site.register(CorrectionSuggestion, CorrectionSuggestionAdmin)
admin.site.register(AuditEvent, AuditEventAdmin)
# taggit registers its own tag admin; ours adds merging that keeps old addresses.
admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)

__all__ = [
    "ArticleAdmin",
    "AuditEventAdmin",
    "AuthorAdmin",
    "CorrectionAdmin",
    "CorrectionSuggestionAdmin",
    "SectionAdmin",
    "TagAdmin",
]
