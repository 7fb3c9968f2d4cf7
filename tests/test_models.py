from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import Article, RelatedLink, Section
from images.models import Image
from tests.factories import ArticleFactory, ImageFactory, SectionFactory, image_file

pytestmark = pytest.mark.django_db


class TestPublishedQuerySet:
    def test_published_article_is_visible(self):
        """A published article whose time has come is in published()."""
        article = ArticleFactory()
        assert list(Article.objects.published()) == [article]

    def test_draft_is_hidden(self):
        """Drafts never reach readers."""
        ArticleFactory(draft=True)
        assert not Article.objects.published().exists()

    def test_in_review_and_unpublished_are_hidden(self):
        """Only the published state is public."""
        ArticleFactory(status=Article.Status.IN_REVIEW)
        ArticleFactory(status=Article.Status.UNPUBLISHED)
        assert not Article.objects.published().exists()

    def test_future_article_is_scheduled_not_published(self):
        """A publish time in the future schedules the article."""
        article = ArticleFactory(scheduled=True)
        assert not Article.objects.published().exists()
        assert list(Article.objects.scheduled()) == [article]

    def test_scheduled_article_appears_when_its_time_comes(self, time_machine):
        """No cron job: the clock passing published_at is enough."""
        time_machine.move_to(timezone.now(), tick=False)
        ArticleFactory(published_at=timezone.now() + timedelta(minutes=30))
        assert not Article.objects.published().exists()
        time_machine.shift(timedelta(minutes=31))
        assert Article.objects.published().count() == 1

    def test_publishing_without_a_time_means_now(self):
        """Published with an empty time gets the current time."""
        article = ArticleFactory(published_at=None)
        assert article.published_at is not None
        assert article.published_at <= timezone.now()


class TestSlugs:
    def test_slug_is_made_from_the_title(self):
        article = ArticleFactory(title="Council approves the budget")
        assert article.slug == "council-approves-the-budget"

    def test_unicode_title_keeps_its_letters(self):
        """Non-ASCII headlines give readable unicode slugs."""
        article = ArticleFactory(title="Größte Straße in Kyjiw: Київ сьогодні")
        assert article.slug == "größte-straße-in-kyjiw-київ-сьогодні"

    def test_duplicate_titles_get_distinct_slugs(self):
        first = ArticleFactory(title="Same headline")
        second = ArticleFactory(title="Same headline")
        third = ArticleFactory(title="Same headline")
        assert [first.slug, second.slug, third.slug] == [
            "same-headline",
            "same-headline-2",
            "same-headline-3",
        ]

    def test_title_without_letters_still_gets_a_slug(self):
        assert ArticleFactory(title="!!!").slug == "article"

    def test_an_editor_chosen_slug_is_kept(self):
        assert ArticleFactory(title="Long headline", slug="short").slug == "short"

    def test_very_long_title_fits_the_slug_field(self):
        article = ArticleFactory(title="wörd " * 40)  # 200 characters, the most a headline may have
        assert len(article.slug) <= 220

    def test_absolute_url_contains_the_section(self):
        article = ArticleFactory(title="Tide", section=SectionFactory(slug="cover-story"))
        assert article.get_absolute_url() == "/cover-story/tide/"


class TestSections:
    def test_deleting_a_section_with_articles_is_refused(self):
        """Articles are never deleted by deleting their section."""
        article = ArticleFactory()
        with pytest.raises(ProtectedError):
            article.section.delete()
        assert Article.objects.filter(pk=article.pk).exists()

    def test_an_empty_section_can_be_deleted(self):
        section = SectionFactory()
        section.delete()
        assert not Section.objects.filter(pk=section.pk).exists()

    def test_reserved_slugs_are_refused(self):
        """A section cannot take the address of the admin or the search page."""
        section = Section(name="Admin", slug="admin")
        with pytest.raises(ValidationError) as error:
            section.full_clean()
        assert "slug" in error.value.message_dict


class TestArticleRules:
    def test_label_falls_back_to_section_name(self):
        article = ArticleFactory(section=SectionFactory(name="Cover Story", slug="cover-story"))
        assert article.label == "Cover Story"
        article.kicker = "Exclusive"
        assert article.label == "Exclusive"

    def test_a_library_image_requires_alt_text(self):
        """An image without a description for blind readers is refused, so no lead image lacks one."""
        image = Image(file=image_file(), alt="")
        with pytest.raises(ValidationError) as error:
            image.full_clean()
        assert "alt" in error.value.message_dict

    def test_lead_image_size_is_stored_on_upload(self):
        """Pages size the image from the row, without opening the file."""
        article = ArticleFactory(lead_image=ImageFactory(size=(120, 68)))
        article.refresh_from_db()
        assert (article.lead_image.width, article.lead_image.height) == (120, 68)

    def test_an_article_cannot_relate_to_itself(self):
        article = ArticleFactory()
        with pytest.raises(ValidationError):
            RelatedLink(from_article=article, to_article=article).full_clean()

    def test_updated_only_after_a_later_edit(self, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        article = ArticleFactory(published_at=timezone.now())
        assert not article.was_updated
        time_machine.shift(timedelta(hours=2))
        article.save()
        assert article.was_updated


@pytest.mark.parametrize(
    "state",
    [
        {"status": "draft"},
        {"status": "review"},
        {"status": "unpublished"},
        {"status": "published"},
        {"status": "published", "in_days": 1},
        {"status": "published", "trashed": True},
        {"status": "draft", "trashed": True},
    ],
)
def test_is_published_agrees_with_the_published_queryset(state):
    """An article's is_published says exactly what Article.objects.published() says of it."""
    article = ArticleFactory(status=state["status"])
    changes = {"published_at": timezone.now() + timedelta(days=state.get("in_days", -1))}
    if state.get("trashed"):
        changes["trashed_at"] = timezone.now()
    Article.objects.filter(pk=article.pk).update(**changes)
    article.refresh_from_db()
    assert article.is_published == Article.objects.published().filter(pk=article.pk).exists()
