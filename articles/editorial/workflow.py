"""
Who may do what to an article: the one place the editorial rules live.

Writers start articles, edit their own until they are published, and submit them
for review. Editors (the ``publish_article`` and ``edit_any_article`` permissions)
may do everything. The admin and the services ask these functions; each refusal
comes back as a sentence that can be shown to the person who was refused.
"""

from ..models import Article

Status = Article.Status
WRITER_EDITABLE = (Status.DRAFT, Status.IN_REVIEW)

# (from, to) -> the verb shown on the button and in messages.
TRANSITIONS = {
    (Status.DRAFT, Status.IN_REVIEW): "Submit for review",
    (Status.IN_REVIEW, Status.DRAFT): "Return to draft",
    (Status.DRAFT, Status.PUBLISHED): "Publish",
    (Status.IN_REVIEW, Status.PUBLISHED): "Publish",
    (Status.UNPUBLISHED, Status.PUBLISHED): "Publish",
    (Status.PUBLISHED, Status.UNPUBLISHED): "Unpublish",
    (Status.UNPUBLISHED, Status.DRAFT): "Return to draft",
}
NEEDS_PUBLISH_PERMISSION = {Status.PUBLISHED, Status.UNPUBLISHED}


def can_publish(user):
    return user.has_perm("articles.publish_article")


def can_edit_any(user):
    return user.has_perm("articles.edit_any_article")


def is_own(user, article):
    """Started by ``user``, or bylined to the author profile linked to ``user``."""
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def edit_refusal(user, article):
    """Why ``user`` may not change ``article`` (None: they may)."""
    if not user.has_perm("articles.change_article"):
        return "You do not have permission to edit articles."
    if can_edit_any(user):
        return None
    if article.trashed_at is not None:
        return "This article is in the trash; only an editor can restore it."
    if not is_own(user, article):
        return "Writers can edit only their own articles; ask an editor to change this one."
    if article.status not in WRITER_EDITABLE:
        return (
            f"This article is {article.get_status_display().lower()}; only an editor can change it now. "
            "Ask an editor, or suggest a correction."
        )
    return None


def can_edit(user, article):
    return edit_refusal(user, article) is None


def transition_refusal(user, article, target):
    """Why ``user`` may not move ``article`` to status ``target`` (None: they may)."""
    current = Status(article.status)
    if current == target:
        return None
    if (current, target) not in TRANSITIONS:
        return f"An article that is {current.label.lower()} cannot become {Status(target).label.lower()}."
    if target in NEEDS_PUBLISH_PERMISSION and not can_publish(user):
        if target == Status.PUBLISHED:
            return "Only editors can publish or schedule articles. Submit it for review instead."
        return "Only editors can unpublish articles."
    return edit_refusal(user, article)


def allowed_transitions(user, article):
    """The (status, verb) steps ``user`` may take from the article's current status."""
    current = Status(article.status)
    return [
        (target, verb)
        for (source, target), verb in TRANSITIONS.items()
        if source == current and transition_refusal(user, article, target) is None
    ]


def schedule_refusal(user):
    if not can_publish(user):
        return "Only editors can schedule articles or change their publish time."
    return None
