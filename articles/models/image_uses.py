"""The image library's question "where is this image used?", answered for articles and
authors (registered with ``images.usage`` in ``ArticlesConfig.ready()``)."""

from images.usage import Use

from ..body.vocabulary import LIBRARY_FIGURE_OPENING
from .content import Article, Author

# What an editor is told of an article: its headline and state (Article.state_label).
_ARTICLE_FIELDS = ("title", "status", "published_at", "trashed_at")


def image_uses(image_ids):
    """(image id, Use) for lead images, figures in bodies and author photos: three queries."""
    for article in Article.objects.filter(lead_image_id__in=image_ids).only(
        *_ARTICLE_FIELDS, "lead_image_id"
    ):
        yield article.lead_image_id, Use("lead image", article, article.state_label, article.is_published)
    for article in Article.objects.with_figures_of(image_ids).only(*_ARTICLE_FIELDS, "body"):
        # The query found bodies holding any of the images: which ones does this one hold?
        for image_id in sorted(
            {int(number) for number in LIBRARY_FIGURE_OPENING.findall(article.body)} & image_ids
        ):
            yield image_id, Use("figure in the body", article, article.state_label, article.is_published)
    for author in Author.objects.filter(photo_id__in=image_ids).only("name", "photo_id"):
        yield author.photo_id, Use("photo", author)
