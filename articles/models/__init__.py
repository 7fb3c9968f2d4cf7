"""Newsroom's models, one module per concern, all importable from ``articles.models``.

- content: sections, authors, articles (and their QuerySet), bylines, tags, related picks
- editorial: corrections and writers' suggested corrections, shareable preview links, the audit trail
- url_history: old slugs, so that old addresses answer 301
- fulltext: SQLite's full-text index table
- slugs: slug making and the section slugs that routes reserve
"""

from .content import (
    SEARCH_INDEX_FIELDS,
    Article,
    ArticleQuerySet,
    Author,
    Byline,
    RelatedLink,
    Section,
    TaggedArticle,
    page_prefetches,
    public_tags,
    tag_url,
    validate_redirect_target,
)
from .editorial import (
    PREVIEW_LINK_LIFETIME,
    AuditEvent,
    Correction,
    CorrectionSuggestion,
    PreviewLink,
    default_preview_expiry,
    new_preview_token,
    sign_preview_token,
    unsign_preview_token,
)
from .fulltext import ArticleSearchEntry, FullTextDocumentField
from .slugs import RESERVED_SECTION_SLUGS, unique_slug, validate_section_slug
from .url_history import ArticleSlugHistory, SectionSlugHistory, TagSlugHistory

__all__ = [
    "PREVIEW_LINK_LIFETIME", "RESERVED_SECTION_SLUGS", "SEARCH_INDEX_FIELDS", "Article", "ArticleQuerySet",
    "ArticleSearchEntry", "ArticleSlugHistory", "AuditEvent", "Author", "Byline", "Correction", "CorrectionSuggestion",
    "FullTextDocumentField", "PreviewLink", "RelatedLink", "Section", "SectionSlugHistory", "TagSlugHistory",
    "TaggedArticle", "default_preview_expiry", "new_preview_token", "page_prefetches", "public_tags", "sign_preview_token", "tag_url",
    "unique_slug", "unsign_preview_token", "validate_redirect_target", "validate_section_slug",
]  # fmt: skip
