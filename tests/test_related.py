import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import related
from articles.models import Article, RelatedLink
from articles.related import add_pick, related_for, suggestions_for, suggestions_with_reasons
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


def titles(articles):
    return [article.title for article in articles]


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def city():
    return SectionFactory(name="City", slug="city")


class TestRelatedFor:
    def test_picks_come_first_in_the_editors_order_then_suggestions(self, world):
        """Picks in their order, then suggestions, up to the limit, never the article itself."""
        first, second = ArticleFactory(title="Pick one"), ArticleFactory(title="Pick two")
        ArticleFactory(title="Shares a tag", section=world, tags=["NATO"])
        ArticleFactory(title="Shares nothing", section=SectionFactory(), tags=["Recipes"])
        story = ArticleFactory(section=world, tags=["NATO"], related=[second, first])
        assert titles(related_for(story, limit=3)) == ["Pick two", "Pick one", "Shares a tag"]
        assert story not in related_for(story, limit=10)

    def test_a_pick_that_is_also_a_suggestion_is_shown_once(self, world):
        """An article picked by the editor and also suggested appears once, as a pick."""
        both = ArticleFactory(title="Both", section=world, tags=["NATO"])
        story = ArticleFactory(section=world, tags=["NATO"], related=[both])
        assert titles(related_for(story, limit=4)).count("Both") == 1

    def test_limit_defaults_to_the_setting(self, settings, world):
        """The block size is the RELATED_ARTICLES_COUNT setting."""
        settings.RELATED_ARTICLES_COUNT = 2
        for n in range(5):
            ArticleFactory(section=world, tags=["NATO"], title=f"Other {n}")
        story = ArticleFactory(section=world, tags=["NATO"])
        assert len(related_for(story)) == 2

    def test_never_drafts_scheduled_or_unpublished(self, world):
        """Only what readers may see is suggested, however well it matches."""
        ArticleFactory(title="Draft", section=world, tags=["Kremlin"], draft=True)
        ArticleFactory(title="Scheduled", section=world, tags=["Kremlin"], scheduled=True)
        ArticleFactory(title="Pulled", section=world, tags=["Kremlin"], status=Article.Status.UNPUBLISHED)
        visible = ArticleFactory(title="Visible", section=world, tags=["Kremlin"])
        story = ArticleFactory(section=world, tags=["Kremlin"])
        assert titles(related_for(story, limit=10)) == ["Visible"]
        assert visible in suggestions_for(story, 10)

    def test_scheduled_article_is_suggested_once_it_goes_live(self, world, time_machine):
        """A scheduled article joins the suggestions at its publish time, with no save."""
        ArticleFactory(title="Tomorrow", section=world, tags=["Kremlin"], scheduled=True)
        story = ArticleFactory(section=world, tags=["Kremlin"])
        assert "Tomorrow" not in titles(related_for(story))
        time_machine.move_to(timezone.now() + timedelta(days=2))
        assert "Tomorrow" in titles(related_for(story))

    def test_rare_shared_tag_outranks_a_common_one(self, world):
        """Sharing a rare tag says more than sharing a tag half the archive carries."""
        for n in range(20):
            ArticleFactory(title=f"Common {n}", section=world, tags=["Politics"])
        ArticleFactory(title="Rare match", section=world, tags=["Kursk"], published_at=days_ago(900))
        story = ArticleFactory(section=world, tags=["Politics", "Kursk"])
        assert titles(related_for(story))[0] == "Rare match"

    def test_more_shared_tags_rank_higher(self, world):
        """Two shared tags beat one."""
        ArticleFactory(title="One tag", section=world, tags=["NATO"], published_at=days_ago(1))
        ArticleFactory(title="Two tags", section=world, tags=["NATO", "Ukraine"], published_at=days_ago(50))
        story = ArticleFactory(section=world, tags=["NATO", "Ukraine"])
        assert titles(related_for(story, limit=2)) == ["Two tags", "One tag"]

    def test_same_section_then_recency_break_equal_tags(self, world, city):
        """Between equal tag matches, the same section wins, then the newer article."""
        ArticleFactory(title="Other section, new", section=city, tags=["NATO"], published_at=days_ago(1))
        ArticleFactory(title="Same section, old", section=world, tags=["NATO"], published_at=days_ago(400))
        ArticleFactory(title="Same section, new", section=world, tags=["NATO"], published_at=days_ago(2))
        story = ArticleFactory(section=world, tags=["NATO"])
        assert titles(related_for(story, limit=3)) == [
            "Same section, new",
            "Same section, old",
            "Other section, new",
        ]

    def test_ties_are_broken_the_same_way_every_time(self, world):
        """Identical candidates come newest first, then by id: the block never shuffles."""
        moment = days_ago(3)
        made = [
            ArticleFactory(title=f"Twin {n}", section=world, tags=["NATO"], published_at=moment)
            for n in range(6)
        ]
        story = ArticleFactory(section=world, tags=["NATO"])
        expected = [a.title for a in sorted(made, key=lambda a: a.pk, reverse=True)][:4]
        assert titles(related_for(story)) == expected
        assert titles(related_for(story)) == expected

    def test_editor_can_switch_suggestions_off(self, world):
        """With suggestions off, the block shows the editor's picks only."""
        pick = ArticleFactory(title="The pick")
        ArticleFactory(section=world, tags=["NATO"])
        story = ArticleFactory(section=world, tags=["NATO"], related=[pick], suggest_related=False)
        assert titles(related_for(story)) == ["The pick"]


class TestEdgeCases:
    def test_article_with_no_tags_gets_its_picks_only(self, world):
        """No tags, nothing to match: the block holds the picks ("More in <section>" follows it)."""
        pick = ArticleFactory(title="The pick")
        ArticleFactory(title="Same section", section=world)
        story = ArticleFactory(section=world, related=[pick])
        assert titles(related_for(story)) == ["The pick"]
        assert related_for(ArticleFactory(section=world)) == []

    def test_a_tag_on_every_article_does_not_drown_out_a_rare_one(self, world):
        """A tag every article carries weighs nothing next to a rare shared tag."""
        for n in range(12):
            ArticleFactory(title=f"Everywhere {n}", section=world, tags=["News"], published_at=days_ago(1))
        ArticleFactory(
            title="Rare", section=SectionFactory(), tags=["News", "Kursk"], published_at=days_ago(800)
        )
        story = ArticleFactory(section=world, tags=["News", "Kursk"])
        assert titles(related_for(story))[0] == "Rare"

    def test_broad_tags_bring_no_candidates_but_still_count(self, world, monkeypatch):
        """In a large archive a category-like tag alone suggests nothing, but it still ranks the matches."""
        monkeypatch.setattr(related, "BROAD_TAG_MIN_ARTICLES", 3)
        for n in range(10):
            ArticleFactory(title=f"Broad only {n}", section=world, tags=["Politics"])
        ArticleFactory(title="Rare only", section=world, tags=["Kursk"], published_at=days_ago(2))
        ArticleFactory(
            title="Rare and broad", section=world, tags=["Kursk", "Politics"], published_at=days_ago(90)
        )
        story = ArticleFactory(section=world, tags=["Kursk", "Politics"])
        assert titles(related_for(story)) == ["Rare and broad", "Rare only"]

    def test_section_with_one_article_and_nothing_shared(self):
        """The only article of a section, sharing no tag, gets an empty block, not an error."""
        ArticleFactory(title="Elsewhere", tags=["Recipes"])
        lonely = ArticleFactory(section=SectionFactory(name="Lonely", slug="lonely"), tags=["Solitude"])
        assert related_for(lonely) == []

    def test_picks_that_are_unpublished_later_disappear(self, world):
        """A pick taken offline leaves the block; a suggestion takes its place."""
        pick = ArticleFactory(title="Pick")
        ArticleFactory(title="Suggestion", section=world, tags=["NATO"])
        story = ArticleFactory(section=world, tags=["NATO"], related=[pick])
        assert titles(related_for(story, limit=1)) == ["Pick"]
        pick.status = Article.Status.UNPUBLISHED
        pick.save()
        assert titles(related_for(story, limit=1)) == ["Suggestion"]

    def test_an_article_cannot_be_picked_for_itself(self):
        """Picking an article as its own related article is refused."""
        story = ArticleFactory()
        with pytest.raises(ValidationError):
            add_pick(story, story)
        assert not RelatedLink.objects.exists()


class TestPicks:
    def test_add_pick_appends_and_is_idempotent(self):
        """Pinning adds the pick after the others, and pinning it again changes nothing."""
        first, second = ArticleFactory(title="First"), ArticleFactory(title="Second")
        story = ArticleFactory(related=[first])
        add_pick(story, second)
        add_pick(story, second)
        assert titles(related_for(story)) == ["First", "Second"]

    def test_two_way_pick_links_both_articles(self):
        """A two-way pick relates A to B and B to A in one call."""
        a, b = ArticleFactory(title="A"), ArticleFactory(title="B")
        add_pick(a, b, both_ways=True)
        assert titles(related_for(a, limit=1)) == ["B"]
        assert titles(related_for(b, limit=1)) == ["A"]


class TestReasons:
    def test_reasons_name_the_shared_tags_and_the_section(self, world):
        """Editors see why: "3 shared tags: Kremlin, NATO, Ukraine; same section"."""
        ArticleFactory(title="Match", section=world, tags=["NATO", "Kremlin", "Ukraine", "Other"])
        story = ArticleFactory(section=world, tags=["NATO", "Kremlin", "Ukraine"])
        [suggestion] = suggestions_with_reasons(story)
        assert str(suggestion.reason) == "3 shared tags: Kremlin, NATO, Ukraine; same section"

    def test_reasons_leave_out_picks(self, world):
        """The panel lists suggestions only; picks are shown in the picks inline."""
        pick = ArticleFactory(title="Pick", section=world, tags=["NATO"])
        ArticleFactory(title="Suggested", section=world, tags=["NATO"])
        story = ArticleFactory(section=world, tags=["NATO"], related=[pick])
        assert titles(suggestions_with_reasons(story)) == ["Suggested"]


def test_suggestions_come_from_the_articles_cluster():
    """Planted clusters (rare tags and a section in common) among noise: precision at 4 is at least 0.9."""
    rng = random.Random(7)
    sections = [SectionFactory(name=f"Desk {n}", slug=f"desk-{n}") for n in range(6)]
    broad_tags = [f"Broad {n}" for n in range(8)]
    clusters = []
    for c in range(10):
        section = sections[c % len(sections)]
        rare = [f"Cluster {c} topic {t}" for t in range(3)]
        members = []
        for _ in range(6):
            tags = rng.sample(rare, 2) + rng.sample(broad_tags, 2)
            members.append(
                ArticleFactory(section=section, tags=tags, published_at=days_ago(rng.randint(0, 900)))
            )
        clusters.append(members)
    for _ in range(150):
        ArticleFactory(
            section=rng.choice(sections),
            tags=rng.sample(broad_tags, 3) + [f"Noise {rng.randint(0, 400)}"],
            published_at=days_ago(rng.randint(0, 30)),
        )

    hits = total = 0
    for members in clusters:
        member_ids = {m.pk for m in members}
        for article in members:
            suggested = suggestions_for(article, 4)
            hits += sum(1 for s in suggested if s.pk in member_ids)
            total += 4
    assert hits / total >= 0.9


def test_publishing_does_no_work_over_the_archive(django_assert_max_num_queries, world):
    """Publishing an article costs the same few queries however many articles share its tags
    (the save, the lists it joins, the neighbours whose previous or next link it becomes)."""
    for n in range(40):
        ArticleFactory(section=world, tags=["NATO"], title=f"Archive {n}")
    story = ArticleFactory(section=world, tags=["NATO"], draft=True)
    story.status = Article.Status.PUBLISHED
    with django_assert_max_num_queries(4):
        story.save()


def test_links_under_an_article_leave_their_bodies_in_the_database(django_assert_num_queries, world):
    """Related articles and "More in" load what their links show (headline, time, address,
    thumbnail), never the bodies and search indexes of a dozen other articles."""
    story = ArticleFactory(section=world, tags=["NATO"], published_at=days_ago(2))
    ArticleFactory(section=world, tags=["NATO"], lead_image=ImageFactory(), published_at=days_ago(1))
    ArticleFactory(section=world, published_at=days_ago(3))
    block = related.related_block(Article.objects.with_page_relations().get(pk=story.pk))
    listed = {other.pk: other for other in [*block.related, *related.section_newest(world.pk, 5)]}.values()
    assert listed
    for other in listed:
        assert {"body", "search_vector", "search_pairs", "dek"} <= other.get_deferred_fields()
    with django_assert_num_queries(0):
        assert [other.lead_image.can_render for other in listed if other.lead_image] == [True]
        assert all(other.label and other.get_absolute_url() and other.published_at for other in listed)
