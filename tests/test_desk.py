"""The editor's desk on the admin's front page, the article list's order and columns,
the messages after a workflow step, the trash page and the site's one date style."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial import services
from articles.models import Article, Byline
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.test_workflow import edit

pytestmark = pytest.mark.django_db
Status = Article.Status
INDEX = reverse("admin:index")
CHANGELIST = reverse("admin:articles_article_changelist")


def _newsroom(writer, other_writer, size):
    """``size`` of each kind: the writer's drafts, others' submissions, scheduled, published, corrections."""
    section = SectionFactory()
    for n in range(size):
        ArticleFactory(title=f"Wendy draft {n}", section=section, draft=True, created_by=writer)
        submitted = ArticleFactory(
            title=f"Walter pitch {n}", section=section, draft=True, created_by=other_writer
        )
        services.submit_for_review(submitted, by=other_writer)
        ArticleFactory(title=f"Tomorrow {n}", section=section, scheduled=True)
        live = ArticleFactory(title=f"Live {n}", section=section)
        services.add_correction(live, kind="correction", text=f"Fixed {n}.", by=_editor())


def _editor():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="edna")


def _queries_for_index(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    return len(queries)


def test_desk_loads_in_the_same_number_of_queries_however_much_there_is(
    client, editor, writer, other_writer, django_assert_max_num_queries
):
    """The front page's desk costs a fixed number of queries, whatever the size of the newsroom."""
    client.force_login(editor)
    _newsroom(writer, other_writer, 1)
    few = _queries_for_index(client)
    _newsroom(writer, other_writer, 12)
    with django_assert_max_num_queries(12):
        client.get(INDEX)
    assert _queries_for_index(client) == few


def test_editor_sees_everyones_review_queue_oldest_first_with_who_and_when(
    client, editor, other_writer, time_machine
):
    """Editors see every article in review, the oldest submission first, with who submitted it and when."""
    time_machine.move_to("2026-03-02 09:00Z")
    older = ArticleFactory(title="Pier reopens", draft=True, created_by=other_writer)
    services.submit_for_review(older, by=other_writer)
    time_machine.move_to("2026-03-02 11:30Z")
    newer = ArticleFactory(title="Ferry strike called off", draft=True, created_by=other_writer)
    services.submit_for_review(newer, by=other_writer)
    client.force_login(editor)
    page = client.get(INDEX).content.decode()
    queue = page[page.index("Waiting for review") :]
    assert queue.index("Pier reopens") < queue.index("Ferry strike called off")
    assert "submitted by walter" in queue
    assert "2 March 2026, 09:00" in queue


def test_writer_sees_own_drafts_and_own_submissions_only(client, writer, other_writer):
    """A writer's desk lists their own drafts and their own articles in review, not other writers'."""
    ArticleFactory(title="My draft on tides", draft=True, created_by=writer)
    theirs = ArticleFactory(title="Their draft on rails", draft=True, created_by=other_writer)
    services.submit_for_review(theirs, by=other_writer)
    bylined = ArticleFactory(title="Bylined to me", draft=True, created_by=other_writer)
    Byline.objects.create(article=bylined, author=AuthorFactory(user=writer))
    client.force_login(writer)
    response = client.get(INDEX)
    assertContains(response, "My draft on tides")
    assertContains(response, "Bylined to me")
    assertNotContains(response, "Their draft on rails")
    assertContains(response, "Your articles in review")


def test_desk_lists_scheduled_times_live_links_and_recent_corrections(client, editor):
    """Scheduled articles show when they go live; published ones link to their page; corrections are listed."""
    when = timezone.now() + timedelta(days=2)
    ArticleFactory(title="Budget day", published_at=when)
    live = ArticleFactory(title="Bridge reopens")
    services.add_correction(live, kind="correction", text="The bridge is on the A40.", by=editor)
    ArticleFactory(title="Trashed story", trashed_at=timezone.now())
    client.force_login(editor)
    response = client.get(INDEX)
    assertContains(response, "Budget day")
    assertContains(response, timezone.localtime(when).strftime("%-d %B %Y, %H:%M"))
    assertContains(response, f'href="{live.get_absolute_url()}"')
    assertContains(response, "The bridge is on the A40.")
    assertNotContains(response, "Trashed story")


def test_list_orders_work_in_progress_first_then_by_publish_time(client, editor, time_machine):
    """The list shows drafts and articles in review first (last edited first), then the rest newest first,
    on every database."""
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    old_live = ArticleFactory(title="Old live", published_at=timezone.now() - timedelta(days=3))
    draft = ArticleFactory(title="Edited long ago", draft=True)
    time_machine.move_to("2026-03-02 10:00Z", tick=False)
    review = ArticleFactory(title="In review now", status=Status.IN_REVIEW, published_at=None)
    new_live = ArticleFactory(title="New live", published_at=timezone.now() - timedelta(hours=1))
    gone = ArticleFactory(
        title="Gone", status=Status.UNPUBLISHED, published_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(editor)
    rows = list(client.get(CHANGELIST).context["cl"].result_list)
    assert rows == [review, draft, new_live, gone, old_live]


def test_list_has_the_columns_editors_need_and_a_mine_filter(client, writer, other_writer):
    """The list shows state, section, bylines, publish time and last edited; "mine" keeps the user's own."""
    ArticleFactory(title="Mine to write", draft=True, created_by=writer)
    ArticleFactory(title="Not mine", draft=True, created_by=other_writer)
    client.force_login(writer)
    response = client.get(CHANGELIST)
    for heading in ["Status", "Section", "Bylines", "Publish time", "Last edited"]:
        assertContains(response, heading)
    mine = client.get(CHANGELIST, {"mine": "yes"})
    assertContains(mine, "Mine to write")
    assertNotContains(mine, "Not mine")


def test_publishing_says_published_with_a_link_to_the_live_page(client, editor):
    """After "Save and publish" the message names the headline and links to the live page."""
    article = ArticleFactory(title="Tide tables change", draft=True)
    client.force_login(editor)
    response = edit(client, article, _transition="published")
    article.refresh_from_db()
    assert article.is_published
    message = [str(m) for m in response.wsgi_request._messages]
    assert message == [
        f'Published: “Tide tables change”. <a href="{article.get_absolute_url()}">View it on the site.</a>'
    ]


def test_scheduling_says_when(client, editor):
    """Saving with a future publish time says "Scheduled for <time>"."""
    article = ArticleFactory(title="Budget day", draft=True)
    later = timezone.localtime() + timedelta(days=1)
    client.force_login(editor)
    response = edit(
        client,
        article,
        _transition="published",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1="07:00:00",
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Scheduled for {later.strftime('%-d %B %Y')}, 07:00: “Budget day”."]


def test_submitting_says_submitted_for_review(client, writer):
    """A writer who submits is told "Submitted for review"."""
    article = ArticleFactory(title="Harbour wall", draft=True, created_by=writer)
    client.force_login(writer)
    response = edit(client, article, _transition="review")
    assert [str(m) for m in response.wsgi_request._messages] == ["Submitted for review: “Harbour wall”."]


def test_trash_page_speaks_of_the_trash_and_what_readers_get(client, editor):
    """Deleting a live article explains the trash and the 410 readers will get, without Django's warning."""
    article = ArticleFactory(title="Council story")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_delete", args=[article.pk]))
    assertContains(response, "Move “Council story” to the trash?")
    assertContains(response, "410 Gone")
    assertNotContains(response, "will be deleted")
    assertNotContains(response, "Are you sure")


def test_trash_page_names_the_redirect_when_one_is_set(client, editor):
    """A live article with a "redirect when gone" address: the page says readers go there."""
    article = ArticleFactory(title="Council story", redirect_url="/city/council/")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_delete", args=[article.pk]))
    assertContains(response, "are sent on to <strong>/city/council/</strong>")
    assertNotContains(response, "410 Gone")


def test_trash_page_promises_nothing_to_readers_for_a_draft(client, editor):
    """A draft was never public: the page promises no 410 page."""
    article = ArticleFactory(title="Unfinished", draft=True)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_delete", args=[article.pk]))
    assertContains(response, "readers have never seen this draft article")
    assertNotContains(response, "410")


def test_deleting_from_the_trash_keeps_djangos_warning(client, editor):
    """Deleting for good from the trash still shows Django's list of what will be deleted."""
    article = ArticleFactory(title="Old story", trashed_at=timezone.now())
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_delete", args=[article.pk]))
    assertContains(response, "removes it for good")
    assertContains(response, "Are you sure")


def test_lead_story_box_is_not_called_cover_story(client, editor):
    """The home page's lead-story box has a name that cannot be mistaken for the "Cover Story" section."""
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_add"))
    assertContains(response, "Lead story on the home page")
    assertNotContains(response, ">Cover story<")


def test_reader_pages_use_one_british_date_style_with_machine_values_unchanged(client, time_machine):
    """Dates read "2 March 2026, 09:30" on the article page, and <time datetime> keeps the ISO value."""
    time_machine.move_to("2026-03-02 12:00Z")
    article = ArticleFactory(title="Dated", published_at=timezone.now() - timedelta(hours=2, minutes=30))
    response = client.get(article.get_absolute_url())
    assertContains(
        response, '<time class="byline__time" datetime="2026-03-02T09:30:00+00:00">2 March 2026, 09:30</time>'
    )
    home = client.get("/")
    assertContains(home, "2 March 2026, 09:30")
    assertNotContains(home, "2 Mar, 09:30")


def test_admin_uses_the_same_date_style(client, editor, time_machine):
    """The admin's list shows publish times in the site's date style, not the American one."""
    time_machine.move_to("2026-03-02 12:00Z")
    ArticleFactory(published_at=timezone.now() - timedelta(hours=2, minutes=30))
    client.force_login(editor)
    response = client.get(CHANGELIST)
    assertContains(response, '<time datetime="2026-03-02T09:30:00+00:00">2 Mar 2026, 09:30</time>')
    assertNotContains(response, "Mar 2, 2026")
