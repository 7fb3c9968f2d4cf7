import pytest
from django.db.models import Count
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from bench.dataset import ForeignDataError, ensure_dataset
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_builds_the_requested_sizes_once():
    """The benchmark dataset has exactly the asked sizes, all published, and is reused on the next run."""
    info = ensure_dataset(articles=400, tags=60, links=2_000, log=lambda line: None)
    assert (info.articles, info.tags, info.links, info.built) == (400, 60, 2_000, True)
    assert Article.objects.published().count() == 400
    assert Tag.objects.count() == 60
    assert TaggedArticle.objects.count() == 2_000
    again = ensure_dataset(articles=400, tags=60, links=2_000, log=lambda line: None)
    assert again.built is False and Article.objects.count() == 400


def test_tags_have_a_long_tail():
    """A few broad tags are on many articles, most on few: the shape of a real archive."""
    ensure_dataset(articles=2_000, tags=200, links=10_000, log=lambda line: None)
    counts = sorted(
        TaggedArticle.objects.values("tag").annotate(n=Count("pk")).values_list("n", flat=True),
        reverse=True,
    )
    assert counts[0] > 3 * counts[len(counts) // 2]


def test_refuses_a_database_with_real_articles():
    """Pointed at a real newsroom by mistake, the builder stops before writing anything."""
    ArticleFactory(title="A real story")
    with pytest.raises(ForeignDataError):
        ensure_dataset(articles=10, tags=10, links=20, log=lambda line: None)
    assert Article.objects.count() == 1
