from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.search import index as search_index
from articles.search import parse_query, search_articles
from articles.search import query as search
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


def titles(results):
    return [article.title for article in results[0 : len(results)]]


class TestQueryParsing:
    def test_words_phrases_exclusions_and_or(self):
        """Web-search syntax: words AND together, quotes make a phrase, - excludes, OR offers alternatives."""
        query = parse_query('flood "sea wall" -budget tide OR storm')
        assert [[t.text for t in group] for group in query.groups] == [
            ["flood"],
            ["sea wall"],
            ["tide", "storm"],
        ]
        assert [t.text for t in query.excluded] == ["budget"]
        assert query.as_fts5() == '(("flood") AND ("sea wall") AND ("tide" OR "storm")) NOT "budget"'
        assert query.as_websearch() == '"flood" "sea wall" "tide" OR "storm" -"budget"'

    @pytest.mark.parametrize(
        "raw", ["", "   ", "-", "--", "OR", "or OR", '"', '""', "-flood", "\x00", "***", "_ _", "( ) :"]
    )
    def test_nothing_to_search_for(self, raw):
        """Operators, punctuation and exclusions alone leave nothing to search for."""
        assert parse_query(raw).is_empty

    def test_quotes_inside_a_term_cannot_break_the_fts5_syntax(self):
        """A stray quote, column filter or operator is always inside a quoted FTS5 string."""
        query = parse_query('title:flood NEAR(a b) flo* "unclosed phrase')
        assert (
            query.as_fts5()
            == '(("title:flood") AND ("NEAR(a") AND ("b)") AND ("flo*") AND ("unclosed phrase"))'
        )

    def test_long_query_is_shortened(self):
        query = parse_query("word " * 2000)
        assert query.truncated
        assert len(query.groups) <= search.MAX_TERMS

    def test_control_characters_and_lone_surrogates_are_dropped(self):
        query = parse_query("flo\x00od \ud800tide\x1f")
        assert [group[0].text for group in query.groups] == ["flo", "od", "tide"]

    def test_one_letter_words_are_too_short(self):
        assert parse_query("a").is_too_short
        assert not parse_query("a tide").is_too_short


@pytest.fixture
def archive():
    city, sport = SectionFactory(name="City", slug="city"), SectionFactory(name="Sport", slug="sport")
    return {
        "title": ArticleFactory(
            title="Seawall repairs begin", section=city, dek="Work starts.", body="<p>x</p>"
        ),
        "dek": ArticleFactory(
            title="Harbour news", section=city, dek="The seawall is failing.", body="<p>y</p>"
        ),
        "body": ArticleFactory(
            title="Council meeting",
            section=sport,
            dek="Long night.",
            body="<p>They spoke of the seawall.</p>",
        ),
        "draft": ArticleFactory(title="Seawall secret", section=city, draft=True),
        "scheduled": ArticleFactory(title="Seawall tomorrow", section=city, scheduled=True),
        "city": city,
        "sport": sport,
    }


class TestSearch:
    def test_headline_outranks_standfirst_outranks_body(self, archive):
        """Title weighs more than dek, dek more than body; drafts and scheduled articles never show."""
        assert titles(search_articles("seawall")) == [
            "Seawall repairs begin",
            "Harbour news",
            "Council meeting",
        ]

    def test_stemming_finds_other_forms_of_a_word(self):
        ArticleFactory(title="Rivers flooding the valley")
        assert titles(search_articles("flooded")) == ["Rivers flooding the valley"]

    def test_phrase_exclusion_and_or(self):
        ArticleFactory(title="The sea wall held", body="<p>storm</p>")
        ArticleFactory(title="A wall by the sea", body="<p>tide</p>")
        assert titles(search_articles('"sea wall"')) == ["The sea wall held"]
        assert titles(search_articles("sea -storm")) == ["A wall by the sea"]
        assert sorted(titles(search_articles("storm OR tide"))) == ["A wall by the sea", "The sea wall held"]

    def test_filters_by_section_tag_and_dates(self, archive):
        tagged = ArticleFactory(
            title="Seawall vote",
            tags=["Budget"],
            published_at=timezone.make_aware(datetime(2024, 3, 10, 23, 30)),
        )
        assert titles(search_articles("seawall", section=archive["sport"])) == ["Council meeting"]
        budget = tagged.tags.get()
        assert titles(search_articles("seawall", tag=budget)) == ["Seawall vote"]
        in_march = search_articles("seawall", date_from=date(2024, 3, 10), date_to=date(2024, 3, 10))
        assert titles(in_march) == ["Seawall vote"]
        assert titles(search_articles("seawall", date_to=date(2024, 3, 9))) == []

    def test_snippets_highlight_the_match_and_escape_the_text(self):
        ArticleFactory(
            title="Budget", dek="", body="<p>If 3 &lt; 4, <em>the</em> seawall holds &amp; stays.</p>"
        )
        [article] = search_articles("seawall")[0:1]
        assert "<mark>seawall</mark>" in article.snippet
        assert "<em>" not in article.snippet
        assert "holds &amp; stays" in article.snippet

    def test_index_follows_edits_and_deletes(self):
        """A saved change is searchable at once; a deleted article is gone from the index."""
        article = ArticleFactory(title="Storm warning")
        article.title = "Heatwave warning"
        article.save()
        assert titles(search_articles("storm")) == []
        assert titles(search_articles("heatwave")) == ["Heatwave warning"]
        article.delete()
        assert titles(search_articles("heatwave")) == []

    def test_rebuild_index_covers_bulk_inserts(self):
        """Bulk-created rows (no signals) are found after rebuild_index()."""
        section = SectionFactory()
        now = timezone.now() - timedelta(minutes=5)
        Article.objects.bulk_create(
            Article(title=f"Bulk lighthouse {n}", slug=f"bulk-{n}", section=section, status="published",
                    published_at=now, body="<p>keeper</p>")
            for n in range(3)
        )  # fmt: skip
        assert search_index.rebuild_index() == 3
        assert len(titles(search_articles("lighthouse keeper"))) == 3

    def test_uses_a_real_full_text_index(self, django_assert_max_num_queries):
        """The query goes to tsvector/FTS5, not a LIKE scan."""
        ArticleFactory(title="Seawall")
        sql = str(search_articles("seawall").matches.query)
        assert "LIKE" not in sql.upper()
        assert ("@@" in sql) if connection.vendor == "postgresql" else ("MATCH" in sql)


class TestPhrases:
    def test_phrase_needs_its_words_side_by_side_and_in_order(self):
        ArticleFactory(title="The minister of finance resigned")
        ArticleFactory(title="Finance minister resigned")
        ArticleFactory(title="The minister cuts finance jobs")
        assert titles(search_articles('"minister of finance"')) == ["The minister of finance resigned"]
        assert titles(search_articles('"finance minister"')) == ["Finance minister resigned"]

    def test_phrase_in_the_body_and_across_edits(self):
        """The phrase index follows saves, like the word index."""
        article = ArticleFactory(title="Storm news", body="<p>The <em>flood barrier</em> held.</p>")
        assert titles(search_articles('"flood barrier"')) == ["Storm news"]
        article.body = "<p>The barrier against the flood held.</p>"
        article.save()
        assert titles(search_articles('"flood barrier"')) == []
        assert titles(search_articles("flood barrier")) == ["Storm news"]

    def test_phrase_alternatives_and_one_word_phrases(self):
        """ "a b" OR "c d" finds either; a phrase that is one word after stop words is that word."""
        ArticleFactory(title="The sea wall held")
        ArticleFactory(title="A flood barrier rose")
        ArticleFactory(title="Reading the tide tables")
        found = titles(search_articles('"sea wall" OR "flood barrier"'))
        assert sorted(found) == ["A flood barrier rose", "The sea wall held"]
        assert titles(search_articles('"the tide"')) == ["Reading the tide tables"]
        found = titles(search_articles('"sea wall" OR tide'))
        assert sorted(found) == ["Reading the tide tables", "The sea wall held"]

    @pytest.mark.parametrize(
        "phrase", ["o'brien's sea", "back\\slash wall", "wall''s 'edge", "sea-wall plan"]
    )
    def test_quotes_and_backslashes_in_a_phrase_are_only_text(self, phrase):
        ArticleFactory(title="O'Brien's sea back\\slash wall's 'edge sea-wall plan")
        assert titles(search_articles(f'"{phrase}"')) == [
            "O'Brien's sea back\\slash wall's 'edge sea-wall plan"
        ]

    def test_rebuild_index_covers_phrases_of_bulk_inserts(self):
        section = SectionFactory()
        Article.objects.bulk_create(
            [Article(title="Bulk sea wall", slug="bulk", section=section, status="published",
                     published_at=timezone.now() - timedelta(minutes=5), body="<p>x</p>")]
        )  # fmt: skip
        assert not search_index.index_is_complete()
        search_index.rebuild_index()
        assert search_index.index_is_complete()
        assert titles(search_articles('"sea wall"')) == ["Bulk sea wall"]

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's FTS5 index holds word positions")
    def test_postgresql_looks_phrases_up_in_the_word_pair_index(self):
        ArticleFactory(title="The sea wall held")
        pairs_lookup = '"search_pairs" @@'
        assert pairs_lookup in str(search_articles('"sea wall" -storm').matches.query)
        assert pairs_lookup not in str(search_articles("sea wall").matches.query)


class TestAwkwardText:
    def test_long_neighbouring_words_save_and_are_found(self):
        """Two neighbouring words too long to pair (a long URL, a hash) are no reason to refuse a save."""
        long_words = "a" * 1100 + " " + "b" * 1100
        ArticleFactory(title="Hash dump", body=f"<p>{long_words} then the sea wall</p>")
        assert titles(search_articles('"sea wall"')) == ["Hash dump"]

    def test_an_article_with_more_word_pairs_than_an_index_row_holds_is_still_found(self):
        words = " ".join(f"w{n:05d}x{n * 7919 % 100000:05d}zzzzzzzz" for n in range(30_000))
        # The phrase comes first: PostgreSQL counts word positions up to 16,383 only.
        article = ArticleFactory(title="The long transcript", body=f"<p>The sea wall, then {words}</p>")
        if connection.vendor == "postgresql":
            article.refresh_from_db(fields=["search_pairs"])
            assert article.search_pairs is None  # unknown pairs: checked in full
        assert titles(search_articles('"sea wall"')) == ["The long transcript"]

    def test_a_match_deep_in_a_long_article_is_found_and_gets_a_snippet(self):
        filler = "The council met again and talked at length. " * 200
        ArticleFactory(title="Long read", dek="An evening at the council.", body=f"<p>{filler} seawall</p>")
        [article] = search_articles("seawall")[0:1]
        assert article.title == "Long read" and len(article.snippet) > 20

    def test_match_markers_typed_into_the_text_stay_text(self):
        ArticleFactory(title="Markers", dek="zorblat \x03 end \x02 begin", body="<p>zorblat \x02</p>")
        [article] = search_articles("zorblat")[0:1]
        assert article.snippet.count("<mark>") == article.snippet.count("</mark>") >= 1
        assert "\x02" not in article.dek


def make_archive_of(count, *, title="Tide report {n}", **fields):
    """``count`` published articles, the first the oldest, an hour apart, all matching "tide"."""
    section = SectionFactory()
    start = timezone.now() - timedelta(hours=count + 1)
    return [
        ArticleFactory(
            title=title.format(n=n), section=section, published_at=start + timedelta(hours=n), **fields
        )
        for n in range(count)
    ]


class TestBroadQueries:
    """Past RANK_ALL_UP_TO matches, only a pool of the newest matches is ranked."""

    @pytest.fixture
    def small_limits(self, monkeypatch):
        monkeypatch.setattr(search, "RANK_ALL_UP_TO", 5)
        monkeypatch.setattr(search, "RANKING_POOL", 4)
        monkeypatch.setattr(search, "FIRST_WINDOW", 4)

    def test_a_query_within_the_limit_is_ranked_in_full(self, small_limits):
        old_headline = make_archive_of(1)[0]
        make_archive_of(4, title="Report {n}", body="<p>tide</p>")
        results = search_articles("tide")
        assert results.ranking_pool is None or titles(results)
        assert titles(results)[0] == old_headline.title
        assert results.ranking_pool is None

    def test_broad_query_ranks_the_newest_matches_then_lists_older_ones_by_date(self, small_limits):
        older = make_archive_of(6)  # "tide" in the headline: the best matches, but old
        newer = make_archive_of(8, title="Report {n}", body="<p>tide</p>")
        for n, article in enumerate(newer):
            article.published_at = timezone.now() - timedelta(minutes=10 + n)
            article.save()
        newer[3].title = "Tide at the harbour"  # the best of the recent ones
        newer[3].save()
        results = search_articles("tide")
        found = titles(results)
        assert results.ranking_pool
        pool = found[: results.ranking_pool]
        assert pool[0] == "Tide at the harbour"
        assert set(pool) <= {article.title for article in newer}
        rest = found[results.ranking_pool :]
        newest_first = sorted(older + newer, key=lambda a: a.published_at, reverse=True)
        assert rest == [a.title for a in newest_first if a.title in rest]

    def test_every_match_is_on_exactly_one_page(self, small_limits):
        make_archive_of(9)
        make_archive_of(9, title="Report {n}", body="<p>tide</p>")
        results = search_articles("tide")
        assert results.count() == 18
        paged = [a.pk for start in range(0, 18, 5) for a in results[start : start + 5]]
        assert len(paged) == len(set(paged)) == 18
        assert paged == [a.pk for a in results[0:18]]

    def test_a_filter_that_leaves_out_the_newest_articles_still_ranks(self, small_limits):
        """Within one section, its own recent matches are ranked, whatever the newest elsewhere are."""
        make_archive_of(10)  # the newest articles of the site, all with "tide", in another section
        old = timezone.now() - timedelta(days=400)
        quiet = SectionFactory(name="Archive", slug="archive")
        for n in range(8):
            ArticleFactory(title=f"Report {n}", body="<p>tide</p>", section=quiet,
                           published_at=old + timedelta(hours=n))  # fmt: skip
        ArticleFactory(title="Tide tables", section=quiet, published_at=old + timedelta(hours=6, minutes=30))
        results = search_articles("tide", section=quiet)
        assert results.count() == 9
        assert titles(results)[0] == "Tide tables"
        assert results.ranking_pool

    def test_pages_stay_put_while_the_reader_reads(self, small_limits, time_machine):
        """Page 2 an hour after page 1 continues where page 1 ended: the window is not cut from now."""
        time_machine.move_to(timezone.now(), tick=False)
        make_archive_of(12)
        make_archive_of(12, title="Report {n}", body="<p>tide</p>")
        first = [a.pk for a in search_articles("tide")[0:24]]
        time_machine.shift(timedelta(hours=3))
        assert [a.pk for a in search_articles("tide")[0:24]] == first

    def test_the_page_says_how_results_are_ordered(self, client, small_limits):
        make_archive_of(20)
        response = client.get(reverse("articles:search"), {"q": "tide"})
        assertContains(response, "So many articles match that the best of the")
        assertContains(response, 'href="?q=tide&amp;sort=newest"')

    def test_query_count_stays_small(self, client, small_limits, django_assert_max_num_queries):
        """The count with a first sample, a sized window, the ranked page with its snippets, bylines,
        and the form's and header's sections."""
        # A whole first page from the pool (small_limits restores both).
        search.RANKING_POOL, search.FIRST_WINDOW = 12, 10
        make_archive_of(40)
        # (+1: the page cache looks up what is scheduled next once, for every page it stores.)
        with django_assert_max_num_queries(7):
            response = client.get(reverse("articles:search"), {"q": "tide"})
        assert response.context["page_obj"].paginator.object_list.ranking_pool


class TestNewestFirst:
    def test_newest_first_lists_every_match_by_date(self, client):
        articles = make_archive_of(3, body="<p>tide tide tide</p>")
        make_archive_of(1, title="Unrelated {n}")
        response = client.get(reverse("articles:search"), {"q": "tide", "sort": "newest"})
        found = [a.title for a in response.context["page_obj"].object_list]
        assert found == [a.title for a in reversed(articles)]
        assertContains(response, "Newest first.")
        assertContains(response, 'href="?q=tide">Show the best matches first')

    def test_an_unknown_order_is_best_match(self, client):
        """A mangled ?sort= still searches, in the usual order."""
        make_archive_of(2)
        response = client.get(reverse("articles:search"), {"q": "tide", "sort": "random" * 1000})
        assertContains(response, "2 results for “tide”")
        assertContains(response, "Best matches first.")
        assertNotContains(response, "random")


class TestSearchPage:
    def test_results_page(self, client, archive):
        """Results show count, linked titles and highlighted snippets, best first."""
        response = client.get(reverse("articles:search"), {"q": "seawall"})
        assert response.status_code == 200
        assertContains(response, "3 results for “seawall”")
        assertContains(response, f'href="{archive["title"].get_absolute_url()}"')
        assertContains(response, "<mark>")
        assertNotContains(response, "Seawall secret")
        assertContains(response, 'name="robots" content="noindex, follow"')

    def test_pagination_keeps_the_query_and_filters(self, client):
        section = SectionFactory(slug="city")
        for n in range(14):
            ArticleFactory(title=f"Tide report {n}", section=section)
        response = client.get(reverse("articles:search"), {"q": "tide", "section": "city"})
        assertContains(response, "14 results")
        assertContains(response, 'href="?q=tide&amp;section=city&amp;page=2"')
        second = client.get(reverse("articles:search"), {"q": "tide", "section": "city", "page": "2"})
        assert len(second.context["page_obj"].object_list) == 2

    def test_bad_filters_get_form_errors(self, client, archive):
        response = client.get(
            reverse("articles:search"),
            {"q": "seawall", "tag": "no-such-topic", "date_from": "2024-13-45", "section": "nope"},
        )
        assert response.status_code == 200
        assertContains(response, "No topic is called “no-such-topic”.")
        assertContains(response, "Enter a valid date.")
        assertContains(response, "Check the filters above")

    def test_reversed_dates_are_a_form_error(self, client):
        response = client.get(
            reverse("articles:search"), {"q": "x y", "date_from": "2024-05-02", "date_to": "2024-05-01"}
        )
        assertContains(response, "The end date comes before the start date.")

    @pytest.mark.parametrize(
        ("query_string", "message"),
        [
            ("", "Type a word or two"),
            ("q=", "Type a word or two"),
            ("q=a", "at least two letters"),
            ("q=%00", "nothing to search for"),
            ("q=%ED%A0%80", "nothing to search for"),  # a lone surrogate, as UTF-8 bytes
            ("q=%FF%FE%00%01", "nothing to search for"),
            ("q=%22", "nothing to search for"),
            ("q=-", "nothing to search for"),
            ("q=OR", "nothing to search for"),
            ("q=" + "x" * 10_000, "No articles match"),
            ("q=" + "tide+" * 2_000, "only its beginning was used"),
            ("q=%22unclosed+phrase", "No articles match"),
            ("q=NEAR(tide+storm)+flo*+title:x", "No articles match"),
            ("q=tide&page=999999", "No articles match"),
            ("q=tide&page=-1&date_from=0000-00-00", "Enter a valid date"),
        ],
    )
    def test_any_query_gets_a_friendly_page(self, client, archive, query_string, message):
        """Empty, one-letter, huge and binary-junk queries answer 200 with a message, never a 500."""
        response = client.get(f"{reverse('articles:search')}?{query_string}")
        assert response.status_code == 200
        assertContains(response, message)

    def test_very_common_words_get_a_capped_count(self, client, settings, monkeypatch):
        """Past MAX_COUNTED matches the page says "more than" instead of counting every row."""
        monkeypatch.setattr(search, "MAX_COUNTED", 3)
        section = SectionFactory()
        for n in range(5):
            ArticleFactory(title=f"Tide report {n}", section=section)
        response = client.get(reverse("articles:search"), {"q": "tide"})
        assertContains(response, "More than 3 results")
        assert len(response.context["page_obj"].object_list) == 4

    def test_query_count_is_fixed(self, client, django_assert_max_num_queries):
        """The results page costs the same few queries for a full page of results."""
        section = SectionFactory()
        for n in range(12):
            ArticleFactory(
                title=f"Tide report {n}", section=section, tags=["Tides"], lead_image=ImageFactory()
            )
        # (+1: the page cache looks up what is scheduled next once, for every page it stores.)
        with django_assert_max_num_queries(6):
            response = client.get(reverse("articles:search"), {"q": "tide"})
        assertContains(response, "12 results")
        assertContains(response, 'class="search-result__thumbnail"', count=12)

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's FTS5 index keeps every word")
    @pytest.mark.parametrize("q", ["the of", "the -seawall"])
    def test_a_query_of_only_stop_words_says_so(self, client, archive, q):
        """Only words PostgreSQL leaves out: no list of everything (or of everything but one word)."""
        response = client.get(reverse("articles:search"), {"q": q})
        assertContains(response, f"“{q}” is too common to search for")
        assertContains(response, "add a word that says what the article is about")
        assert not response.context["page_obj"].object_list
        assertNotContains(client.get(reverse("articles:search"), {"q": "the seawall"}), "too common")

    @pytest.mark.parametrize(
        "dates", [{"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}, {"date_from": "0999-12-31"}]
    )
    def test_dates_out_of_range_are_a_form_error(self, client, settings, dates):
        settings.TIME_ZONE = "Asia/Tokyo"
        response = client.get(reverse("articles:search"), {"q": "seawall", **dates})
        assert response.status_code == 200
        assertContains(response, "Enter a date between the years 1000 and 9998.")

    def test_header_links_to_search(self, client):
        assertContains(client.get("/"), f'href="{reverse("articles:search")}"')


class TestAdminSearch:
    def test_admin_search_is_ranked_and_covers_drafts(self, admin_client_logged_in, archive):
        """Editors get the same ranked search, including drafts and scheduled articles."""
        response = admin_client_logged_in.get(reverse("admin:articles_article_changelist"), {"q": "seawall"})
        assert response.status_code == 200
        found = [article.title for article in response.context["cl"].result_list]
        assert set(found[:3]) == {"Seawall repairs begin", "Seawall secret", "Seawall tomorrow"}
        assert found[-1] == "Council meeting"
        assert set(found) == {"Seawall repairs begin", "Harbour news", "Council meeting", "Seawall secret",
                              "Seawall tomorrow"}  # fmt: skip

    # A word with a NUL: the changelist refuses the term (a message) and lists by the desk's order.
    @pytest.mark.parametrize("term", ["a", '"', "\x00", "-", "seawall\x00", "00\x00"])
    def test_admin_search_with_junk_still_answers(self, admin_client_logged_in, archive, term):
        response = admin_client_logged_in.get(reverse("admin:articles_article_changelist"), {"q": term})
        assert response.status_code == 200

    def test_admin_column_sort_overrides_rank(self, admin_client_logged_in, archive):
        response = admin_client_logged_in.get(
            reverse("admin:articles_article_changelist"), {"q": "seawall", "o": "1"}
        )
        found = [article.title for article in response.context["cl"].result_list]
        assert found == sorted(found)
