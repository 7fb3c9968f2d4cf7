"""
The editor's desk: what needs this person now, for the admin's front page.

``desk_for(user)`` answers in a fixed number of queries whatever the size of the
archive: one for the counts, one per list (each list is short and loads what it
shows). Writers see their own work; editors see everyone's review queue.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from ..models import Article, AuditEvent, Byline, Correction, CorrectionSuggestion
from . import workflow

Status = Article.Status
LIST_LENGTH = 8
RECENT = timedelta(days=7)


@dataclass
class Desk:
    counts: dict
    my_drafts: list
    in_review: list
    scheduled: list
    recently_published: list
    recent_corrections: list
    sees_everyones_review: bool
    suggestions: list | None = None


def mine(user):
    """Articles ``user`` started or is bylined on (the rule of workflow.is_own, as a filter)."""
    bylined = Byline.objects.filter(article=OuterRef("pk"), author__user=user)
    return Q(created_by=user) | Q(Exists(bylined))


def _submissions():
    """The latest "submitted for review" event of each article, for a Subquery."""
    return AuditEvent.objects.filter(article=OuterRef("pk"), action=AuditEvent.Action.SUBMITTED).order_by(
        "-at", "-pk"
    )


def in_review_queue(user):
    """In review, oldest submission first, each with who submitted it and when."""
    queue = Article.objects.active().filter(status=Status.IN_REVIEW)
    if not workflow.can_edit_any(user):
        queue = queue.filter(mine(user))
    submissions = _submissions()
    return (
        queue.select_related("section")
        .annotate(
            submitted_at=Subquery(submissions.values("at")[:1]),
            submitted_by=Subquery(submissions.values("actor__username")[:1]),
        )
        .order_by("submitted_at", "updated_at", "pk")
    )


def desk_for(user, *, now=None):
    now = now or timezone.now()
    active = Article.objects.active()
    own = mine(user)
    everyones_review = workflow.can_edit_any(user)
    review_filter = Q(status=Status.IN_REVIEW) & (Q() if everyones_review else own)
    live = Q(status=Status.PUBLISHED, published_at__lte=now)
    counts = active.aggregate(
        my_drafts=Count("pk", filter=Q(status=Status.DRAFT) & own),
        in_review=Count("pk", filter=review_filter),
        scheduled=Count("pk", filter=Q(status=Status.PUBLISHED, published_at__gt=now)),
        published_today=Count("pk", filter=live & Q(published_at__gte=now - timedelta(days=1))),
    )
    cards = active.defer("body", "search_vector", "search_pairs").select_related("section")
    return Desk(
        counts=counts,
        my_drafts=list(cards.filter(own, status=Status.DRAFT).order_by("-updated_at", "-pk")[:LIST_LENGTH]),
        in_review=list(in_review_queue(user).defer("body", "search_vector", "search_pairs")[:LIST_LENGTH]),
        scheduled=list(cards.scheduled().order_by("published_at", "pk")[:LIST_LENGTH]),
        recently_published=list(cards.published().latest_first()[:LIST_LENGTH]),
        recent_corrections=list(
            Correction.objects.filter(created_at__gte=now - RECENT)
            .select_related("article__section", "created_by")
            .defer("article__body", "article__search_vector", "article__search_pairs")
            .order_by("-created_at", "-pk")[:LIST_LENGTH]
        ),
        sees_everyones_review=everyones_review,
        suggestions=_suggestions(user, everyones_review),
    )


def _suggestions(user, editor):
    """Editors: suggested corrections waiting, oldest first. Writers: their own, newest first."""
    if not user.has_perm("articles.view_correctionsuggestion"):
        return None
    suggestions = CorrectionSuggestion.objects.select_related("article", "suggested_by").defer(
        "article__body", "article__search_vector", "article__search_pairs"
    )
    if editor:
        suggestions = suggestions.pending().order_by("suggested_at", "pk")
    else:
        suggestions = suggestions.filter(suggested_by=user).order_by("-suggested_at", "-pk")
    return list(suggestions[:LIST_LENGTH])


def _being_written():
    return Q(status__in=[Status.DRAFT, Status.IN_REVIEW])


# The article list's order, the same on SQLite and PostgreSQL: work in progress
# (drafts and in review) first, last edited first; then everything else by publish
# time, newest first. Spelled out, because the databases sort NULL publish times
# at opposite ends.
DESK_ORDERING = [
    Case(When(_being_written(), then=Value(0)), default=Value(1)).asc(),
    Case(When(_being_written(), then=F("updated_at"))).desc(nulls_last=True),
    F("published_at").desc(nulls_last=True),
    F("pk").desc(),
]
