import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.reader import pagination
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """A small newsroom: a featured cover story with related links, and neighbours."""
    cover = SectionFactory(name="Cover Story", slug="cover-story")
    city = SectionFactory(name="City", slug="city")
    maria, dan = (
        AuthorFactory(name="Maria Lopez", slug="maria-lopez"),
        AuthorFactory(name="Dan Ok", slug="dan-ok"),
    )
    related_one = ArticleFactory(title="Council approves flood budget", section=city, tags=["Seawall"])
    related_draft = ArticleFactory(title="Secret draft story", section=city, draft=True)
    related_future = ArticleFactory(title="Scheduled budget story", section=city, scheduled=True)
    story = ArticleFactory(
        title="The tide is coming",
        section=cover,
        dek="The wall is failing.",
        body="<p>At low tide the crack is wide.</p>",
        featured=True,
        tags=["Seawall", "Climate"],
        authors=[maria, dan],
        related=[related_one, related_draft, related_future],
    )
    return {"story": story, "related": related_one, "draft": related_draft, "future": related_future,
            "city": city, "maria": maria}  # fmt: skip


def make_many(section, author, count):
    """``count`` articles, every other one with a lead image (cards with and without thumbnails)."""
    for n in range(count):
        ArticleFactory(
            title=f"Filler story {n}",
            section=section,
            tags=[f"tag-{n}", "common"],
            authors=[author],
            lead_image=ImageFactory() if n % 2 else None,
        )


class TestArticlePage:
    def test_shows_every_part_of_the_article(self, client, newsroom):
        """Label linking to the section, headline, standfirst, byline, time, body, tags, related, back to top."""
        story = newsroom["story"]
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assertContains(response, '<a href="/cover-story/">Cover Story</a>', html=True)
        assertContains(response, '<h1 class="article__title">The tide is coming</h1>', html=True)
        assertContains(response, "The wall is failing.")
        assertContains(response, 'href="/author/maria-lopez/"')
        assertContains(response, f'datetime="{story.published_at.isoformat()}"')
        assertContains(response, "<p>At low tide the crack is wide.</p>", html=True)
        assertContains(response, 'href="/tag/seawall/"')
        assertContains(response, "Related Articles")
        assertContains(response, newsroom["related"].get_absolute_url())
        assertContains(response, 'href="#top"')
        assertContains(response, 'id="top"')

    def test_related_block_shows_published_articles_only(self, client, newsroom):
        """Drafts and scheduled articles never leak through the related block."""
        response = client.get(newsroom["story"].get_absolute_url())
        assertNotContains(response, "Secret draft story")
        assertNotContains(response, "Scheduled budget story")

    def test_draft_is_404(self, client, newsroom):
        draft = newsroom["draft"]
        url = reverse("articles:article", args=[draft.section.slug, draft.slug])
        assert client.get(url).status_code == 404

    def test_scheduled_article_is_404_until_its_time(self, client, newsroom):
        future = newsroom["future"]
        url = reverse("articles:article", args=[future.section.slug, future.slug])
        assert client.get(url).status_code == 404

    def test_wrong_section_redirects_to_the_article(self, client, newsroom):
        story = newsroom["story"]
        response = client.get(reverse("articles:article", args=["city", story.slug]))
        assert response.status_code == 301
        assert response["Location"] == story.get_absolute_url()

    def test_unknown_article_is_404_with_a_helpful_page(self, client, newsroom):
        response = client.get("/city/no-such-story/")
        assert response.status_code == 404
        assertContains(response, "We can't find that page", status_code=404)

    def test_unicode_slug_article_is_served(self, client, newsroom):
        article = ArticleFactory(title="Київ сьогодні", section=newsroom["city"])
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200

    def test_updated_time_shown_when_edited_after_publishing(self, client, newsroom, time_machine):
        from datetime import timedelta

        story = newsroom["story"]
        time_machine.move_to(story.published_at + timedelta(hours=3))
        story.save()
        response = client.get(story.get_absolute_url())
        assertContains(response, "Updated")

    def test_query_count_is_constant(self, client, newsroom, django_assert_max_num_queries):
        """The article page costs at most 9 queries, however much hangs off it (8 when its
        section's "More in" list is cached already, which every article of the section shares)."""
        story = newsroom["story"]
        # With lead images: their thumbnails under the article cost no query either.
        others = [ArticleFactory(section=newsroom["city"], lead_image=ImageFactory()) for _ in range(15)]
        for position, other in enumerate(others):
            story.related_links.create(to_article=other, position=position + 10)
        story.tags.add(*[f"extra-{n}" for n in range(20)])
        with django_assert_max_num_queries(9):
            response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        with django_assert_max_num_queries(8):
            response = client.get(others[0].get_absolute_url())
        assertContains(response, "More in")


class TestReadingNext:
    """What sits under the article: related articles, more in the section, previous and next."""

    @pytest.fixture
    def desk(self, newsroom):
        city = newsroom["city"]
        now = timezone.now()
        older = ArticleFactory(title="Oldest city story", section=city, published_at=now - timedelta(days=9))
        story = ArticleFactory(
            title="Middle city story", section=city, tags=["Ferry"], published_at=now - timedelta(days=5)
        )
        newer = ArticleFactory(title="Newest city story", section=city, published_at=now - timedelta(days=1))
        match = ArticleFactory(
            title="Ferry fares rise", tags=["Ferry"], published_at=now - timedelta(days=30)
        )
        return {"story": story, "older": older, "newer": newer, "match": match}

    def test_related_block_fills_with_suggestions_after_picks(self, client, desk):
        """An article sharing a tag is suggested under the story."""
        response = client.get(desk["story"].get_absolute_url())
        assertContains(response, "Related Articles")
        assertContains(response, desk["match"].get_absolute_url())

    def test_more_in_section_lists_the_sections_latest(self, client, desk):
        """ "More in City" lists the section's latest articles, not the story itself."""
        response = client.get(desk["story"].get_absolute_url())
        assertContains(response, 'More in <a href="/city/">City</a>', html=True)
        more = response.content.decode().split('id="more-in-section-heading"')[1]
        assert "Newest city story" in more
        assert "Middle city story" not in more

    def test_previous_and_next_in_the_section(self, client, desk):
        """Previous and next link to the neighbours in the section, by publish time."""
        response = client.get(desk["story"].get_absolute_url())
        assertContains(response, f'rel="prev" href="{desk["older"].get_absolute_url()}"')
        assertContains(response, f'rel="next" href="{desk["newer"].get_absolute_url()}"')

    def test_newest_article_has_no_next_not_even_a_scheduled_one(self, client, newsroom, desk):
        """The newest published article of a section links back only: scheduled and draft ones do not count."""
        response = client.get(newsroom["related"].get_absolute_url())
        assertContains(response, f'rel="prev" href="{desk["newer"].get_absolute_url()}"')
        assertNotContains(response, 'rel="next"')
        assertNotContains(response, newsroom["future"].title)
        assertNotContains(response, newsroom["draft"].title)

    def test_article_alone_in_its_section_renders(self, client, db):
        """The only article of a section, with no tags, gets a page without empty blocks."""
        lonely = ArticleFactory(title="Alone", section=SectionFactory(name="Lonely", slug="lonely"))
        response = client.get(lonely.get_absolute_url())
        assert response.status_code == 200
        assertNotContains(response, "Related Articles")
        assertNotContains(response, "More in")
        assertNotContains(response, 'rel="prev"')

    def test_query_count_is_constant_with_suggestions(self, client, desk, django_assert_max_num_queries):
        """With picks, suggestions, More in section and neighbours, the page still costs at most 9 queries."""
        story = desk["story"]
        story.related_links.create(to_article=desk["older"], position=0)
        for n in range(12):
            ArticleFactory(section=story.section, tags=["Ferry", f"topic-{n}"])
        story.tags.add(*[f"extra-{n}" for n in range(10)])
        with django_assert_max_num_queries(9):
            response = client.get(story.get_absolute_url())
        assertContains(response, "Related Articles")
        assertContains(response, "More in")


class TestListPages:
    def test_home_shows_cover_story_sections_and_latest(self, client, newsroom):
        response = client.get("/")
        assert response.status_code == 200
        assertContains(response, "The tide is coming")
        assertContains(response, "Council approves flood budget")
        assertNotContains(response, "Secret draft story")
        assertNotContains(response, "Scheduled budget story")

    def test_home_with_no_articles_is_friendly(self, client, db):
        response = client.get("/")
        assertContains(response, "No articles have been published yet.")

    @pytest.mark.parametrize("url", ["/", "/city/", "/tag/common/", "/author/maria-lopez/", "/tags/"])
    def test_list_pages_use_a_constant_number_of_queries(
        self, client, newsroom, url, django_assert_max_num_queries
    ):
        """Reader pages cost the same whether there are 2 or 40 articles."""
        make_many(newsroom["city"], newsroom["maria"], 40)
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200

    def test_section_page_lists_its_published_articles(self, client, newsroom):
        response = client.get("/city/")
        assertContains(response, '<h1 class="page-header__title">City</h1>', html=True)
        assertContains(response, "Council approves flood budget")
        assertNotContains(response, "Secret draft story")

    def test_tag_page_lists_tagged_articles(self, client, newsroom):
        response = client.get("/tag/seawall/")
        assertContains(response, "The tide is coming")
        assertContains(response, "Council approves flood budget")

    def test_author_page_lists_their_articles(self, client, newsroom):
        response = client.get("/author/maria-lopez/")
        assertContains(response, "Maria Lopez")
        assertContains(response, "The tide is coming")

    @pytest.mark.parametrize("url", ["/no-section/", "/tag/no-tag/", "/author/nobody/"])
    def test_unknown_lists_are_404(self, client, db, url):
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        ("page", "expected"),
        [
            ("abc", 1),
            ("", 1),
            ("0", 4),
            ("-3", 4),
            ("999", 4),
            ("2", 2),
            ("9" * 5000, 1),
            ("1.5", 1),
            ("\x00", 1),
        ],
    )
    def test_bad_page_numbers_never_fail(self, client, newsroom, page, expected):
        """A junk ?page= gives the first page; one past the end gives the last."""
        make_many(newsroom["city"], newsroom["maria"], 40)  # 41 in City: 4 pages of 12
        response = client.get("/city/", {"page": page})
        assert response.status_code == 200
        assert response.context["page_obj"].number == expected

    @pytest.mark.parametrize("url", ["/city/", "/tag/common/", "/author/maria-lopez/"])
    def test_long_lists_count_up_to_a_cap(self, client, newsroom, url, monkeypatch):
        """Past the cap, the page range says "more than N" and the last counted page points to search."""
        monkeypatch.setattr(pagination, "MAX_COUNTED", 24)
        make_many(newsroom["city"], newsroom["maria"], 40)
        first = client.get(url)
        assertContains(first, "Page 1 of more than 2")
        assertContains(first, 'rel="next"')
        last = client.get(url, {"page": 99})
        assert last.context["page_obj"].number == 2
        assertContains(last, "Page 2 of more than 2")
        assertNotContains(last, 'rel="next"')
        assertContains(last, "Older articles: search the archive")

    def test_short_lists_say_how_many_pages_there_are(self, client, newsroom):
        """Under the cap, the page range is exact."""
        make_many(newsroom["city"], newsroom["maria"], 40)  # 41 in City: 4 pages of 12
        assertContains(client.get("/city/"), "Page 1 of 4")

    def test_a_page_counts_only_a_few_pages_past_itself(self, client, newsroom, monkeypatch):
        """A long list's first page says "more than" a few pages; further on, the range grows with the page
        and becomes exact near the end; every page links to the next one."""
        monkeypatch.setattr(pagination, "PAGES_AHEAD", 1)
        make_many(newsroom["city"], newsroom["maria"], 40)  # 41 in City: 4 pages of 12
        first = client.get("/city/")
        assertContains(first, "Page 1 of more than 2")
        assertContains(first, 'rel="next"')
        assertNotContains(first, "Older articles: search the archive")
        assertContains(client.get("/city/", {"page": 2}), "Page 2 of more than 3")
        assertContains(client.get("/city/", {"page": 3}), "Page 3 of 4")
        assert client.get("/city/", {"page": 9}).context["page_obj"].number == 4

    def test_navigation_lists_sections_and_skip_link(self, client, newsroom):
        response = client.get("/")
        assertContains(response, 'class="skip-link" href="#main"')
        assertContains(response, 'href="/city/"')
        assertContains(response, '<html lang="en">')


def test_server_error_page_is_friendly(rf):
    """A crash shows a plain apology page that needs no database."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


class TestHostileAndOddInput:
    def test_tag_named_only_with_symbols_gets_a_working_page(self, client, db):
        """A tag like "#" or "+++" still has a URL; /tags/ and the article keep working."""
        article = ArticleFactory(tags=["+++", "#"])
        slugs = sorted(tag.slug for tag in article.tags.all())
        assert all(slugs) and len(set(slugs)) == 2
        assert client.get("/tags/").status_code == 200
        assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get(reverse("articles:tag", args=[slugs[0]])).status_code == 200

    def test_tag_used_only_by_drafts_is_not_public(self, client, db):
        """An embargoed topic does not leak through its tag page."""
        ArticleFactory(draft=True, tags=["Acme takeover"])
        ArticleFactory(scheduled=True, tags=["Acme takeover"])
        assert client.get("/tag/acme-takeover/").status_code == 404

    @pytest.mark.parametrize("method", ["post", "put", "delete", "options"])
    def test_reader_pages_only_answer_get_and_head(self, client, newsroom, method):
        response = getattr(client, method)(newsroom["story"].get_absolute_url())
        assert response.status_code == 405

    def test_head_request_is_answered(self, client, newsroom):
        assert client.head(newsroom["story"].get_absolute_url()).status_code == 200

    def test_missing_lead_image_file_does_not_break_the_page(self, client, db):
        """A lost upload shows a broken image at worst, never a server error."""
        from tests.factories import ImageFactory

        article = ArticleFactory(lead_image=ImageFactory(alt="Harbour at dawn"))
        article.lead_image.file.storage.delete(article.lead_image.file.name)
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assertContains(response, 'alt="Harbour at dawn"')
        img = re.search(r'<img class="article__image" src="([^"]+)"', response.content.decode())
        assert client.get(img[1]).status_code == 404

    def test_navigation_marks_the_current_section(self, client, newsroom):
        response = client.get("/city/")
        assertContains(response, 'href="/city/" aria-current="page"')
        response = client.get(newsroom["story"].get_absolute_url())
        assertContains(response, 'href="/cover-story/" aria-current="page"')
