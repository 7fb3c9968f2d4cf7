from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial import services
from articles.models import Article, AuditEvent
from tests.factories import ArticleFactory, SectionFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db
Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit(client, article, **changes):
    """Open the article's edit form as a browser would, change some fields and post it."""
    page = client.get(change_url(article))
    assert page.status_code == 200
    data = form_data(page)
    data.update(changes)
    return client.post(change_url(article), data)


def new_article_data(client, **changes):
    page = client.get(reverse("admin:articles_article_add"))
    assert page.status_code == 200
    data = form_data(page)
    data.update({"title": "Bridge closes for repairs", "section": SectionFactory().pk, "dek": "Traffic."})
    data.update(changes)
    return data


@pytest.fixture
def writers_draft(writer):
    return ArticleFactory(draft=True, title="Writer's draft", created_by=writer)


class TestRoles:
    def test_groups_exist_with_the_publish_permission_only_for_editors(self, writer, editor):
        """The data migration makes Writers and Editors; only editors may publish."""
        assert not writer.has_perm("articles.publish_article")
        assert writer.has_perm("articles.add_article")
        assert editor.has_perm("articles.publish_article")
        assert editor.has_perm("articles.change_section") and editor.has_perm("taggit.change_tag")

    def test_writer_creates_a_draft_and_submits_it(self, client, writer):
        """A writer's new article is theirs; they can submit it for review."""
        client.force_login(writer)
        response = client.post(
            reverse("admin:articles_article_add"), new_article_data(client, _transition=Status.IN_REVIEW)
        )
        assert response.status_code == 302
        article = Article.objects.get(title="Bridge closes for repairs")
        assert article.status == Status.IN_REVIEW and article.created_by == writer
        actions = list(article.audit_events.order_by("at", "pk").values_list("action", flat=True))
        assert actions == [AuditEvent.Action.CREATED, AuditEvent.Action.SUBMITTED]

    def test_writer_cannot_publish_through_the_form(self, client, writer, writers_draft):
        """A writer posting status=published gets a form error saying only editors publish."""
        client.force_login(writer)
        response = edit(client, writers_draft, status=Status.PUBLISHED)
        assert response.status_code == 200
        assertContains(response, "Only editors can publish or schedule articles")
        writers_draft.refresh_from_db()
        assert writers_draft.status == Status.DRAFT

    def test_writer_cannot_publish_with_the_button(self, client, writer, writers_draft):
        """The publish button's value sent by hand is refused the same way."""
        client.force_login(writer)
        response = edit(client, writers_draft, _transition=Status.PUBLISHED)
        assertContains(response, "Only editors can publish or schedule articles")
        assert Article.objects.get(pk=writers_draft.pk).status == Status.DRAFT

    def test_writer_cannot_schedule(self, client, writer, writers_draft):
        """The publish time is read-only for writers: a posted one is ignored, status refused."""
        client.force_login(writer)
        later = timezone.localtime() + timedelta(days=1)
        response = edit(
            client, writers_draft, status=Status.PUBLISHED,
            published_at_0=later.strftime("%Y-%m-%d"), published_at_1=later.strftime("%H:%M:%S"),
        )  # fmt: skip
        assertContains(response, "Only editors can publish or schedule")
        writers_draft.refresh_from_db()
        assert writers_draft.published_at is None and writers_draft.status == Status.DRAFT

    def test_writer_cannot_unpublish_with_the_list_action(self, client, writer):
        """Unpublish is not among a writer's actions; posting it changes nothing."""
        article = ArticleFactory(created_by=writer)
        client.force_login(writer)
        response = client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish_selected", "_selected_action": [article.pk]},
            follow=True,
        )
        assertContains(response, "No action selected")
        assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED

    def test_writer_cannot_change_a_published_article(self, client, writer):
        """Once published, even their own article is read-only for a writer: a POST is refused."""
        article = ArticleFactory(created_by=writer, title="Live story")
        client.force_login(writer)
        page = client.get(change_url(article))
        assertNotContains(page, 'name="title"')
        response = client.post(change_url(article), {"title": "Hijacked"})
        assert response.status_code == 403
        assertContains(response, "only an editor can change it now", status_code=403)
        assert Article.objects.get(pk=article.pk).title == "Live story"

    def test_writer_cannot_change_another_writers_draft(self, client, writer, other_writer):
        """Writers edit only their own articles."""
        article = ArticleFactory(draft=True, created_by=other_writer, title="Walter's draft")
        client.force_login(writer)
        response = client.post(change_url(article), {"title": "Mine now"})
        assertContains(response, "Writers can edit only their own articles", status_code=403)
        assert Article.objects.get(pk=article.pk).title == "Walter's draft"

    def test_writer_cannot_delete(self, client, writer, writers_draft):
        """Deleting (moving to the trash) is for editors."""
        client.force_login(writer)
        url = reverse("admin:articles_article_delete", args=[writers_draft.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert Article.objects.get(pk=writers_draft.pk).trashed_at is None

    def test_writer_cannot_edit_sections(self, client, writer):
        """Sections, authors and tags belong to editors."""
        section = SectionFactory(name="City")
        client.force_login(writer)
        url = reverse("admin:articles_section_change", args=[section.pk])
        assert client.post(url, {"name": "Renamed", "slug": section.slug, "position": 0}).status_code == 403

    def test_writer_cannot_add_a_correction(self, writer, writers_draft):
        """The service refuses a writer's correction with a sentence."""
        with pytest.raises(services.WorkflowError, match="Only editors can add corrections"):
            services.add_correction(writers_draft, kind="correction", text="x", by=writer)

    def test_writer_edits_own_draft(self, client, writer, writers_draft):
        """A writer may change their own draft."""
        client.force_login(writer)
        response = edit(client, writers_draft, title="Better headline")
        assert response.status_code == 302
        assert Article.objects.get(pk=writers_draft.pk).title == "Better headline"

    def test_editor_changes_a_writers_published_article(self, client, editor, writer):
        article = ArticleFactory(created_by=writer)
        client.force_login(editor)
        assert edit(client, article, title="Edited by the desk").status_code == 302
        assert Article.objects.get(pk=article.pk).title == "Edited by the desk"


class TestStates:
    def test_editor_publishes_from_review(self, client, editor, writer):
        """Review -> Published, with the time set to now and an audit entry."""
        article = ArticleFactory(draft=True, status=Status.IN_REVIEW, created_by=writer)
        client.force_login(editor)
        assert edit(client, article, _transition=Status.PUBLISHED).status_code == 302
        article.refresh_from_db()
        assert article.is_published
        assert article.audit_events.filter(action=AuditEvent.Action.PUBLISHED, actor=editor).exists()

    def test_scheduled_article_appears_at_its_time(self, client, editor, time_machine):
        """A future publish time schedules the article; it is public from that moment, no cron."""
        time_machine.move_to(timezone.now(), tick=False)
        article = ArticleFactory(draft=True, title="Embargoed report")
        at = timezone.now() + timedelta(hours=2)
        services.publish_article(article, by=editor, at=at)
        assert article.audit_events.filter(action=AuditEvent.Action.SCHEDULED).exists()
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert client.get(article.get_absolute_url()).status_code == 404
        time_machine.move_to(at + timedelta(seconds=1), tick=False)
        assert Article.objects.published().filter(pk=article.pk).exists()
        assertContains(client.get(article.get_absolute_url()), "Embargoed report")

    def test_editor_schedules_through_the_form(self, client, editor):
        article = ArticleFactory(draft=True)
        later = timezone.localtime() + timedelta(days=1)
        client.force_login(editor)
        response = edit(
            client, article, _transition=Status.PUBLISHED,
            published_at_0=later.strftime("%Y-%m-%d"), published_at_1=later.strftime("%H:%M:%S"),
        )  # fmt: skip
        assert response.status_code == 302
        assert Article.objects.scheduled().filter(pk=article.pk).exists()

    @pytest.mark.parametrize(
        ("zone", "day", "time"),
        [("America/New_York", "9999-12-31", "23:59:59"), ("Asia/Tokyo", "0001-01-01", "00:00:00")],
    )
    def test_a_publish_time_at_the_end_of_the_calendar_is_a_form_error(
        self, client, editor, settings, zone, day, time
    ):
        """A time that UTC cannot hold (year 10000 or 0 there) is refused in the form, not a server error."""
        settings.TIME_ZONE = zone
        article = ArticleFactory(draft=True, title="Tide tables")
        client.force_login(editor)
        response = edit(
            client, article, _transition=Status.PUBLISHED, published_at_0=day, published_at_1=time
        )
        assertContains(response, "Enter a publish time between the years 1000 and 9998.")
        article.refresh_from_db()
        assert article.status == Status.DRAFT and article.published_at is None

    def test_return_to_draft_and_unpublish(self, editor):
        """Review -> Draft and Published -> Unpublished are steps an editor may take."""
        review = ArticleFactory(draft=True, status=Status.IN_REVIEW)
        assert services.return_to_draft(review, by=editor).status == Status.DRAFT
        live = ArticleFactory()
        assert services.unpublish(live, by=editor).status == Status.UNPUBLISHED
        assert not Article.objects.published().filter(pk=live.pk).exists()

    def test_impossible_transition_is_refused(self, editor):
        """A draft cannot jump to Unpublished."""
        with pytest.raises(services.WorkflowError, match="cannot become unpublished"):
            services.unpublish(ArticleFactory(draft=True), by=editor)

    def test_each_step_bumps_the_edit_version(self, editor):
        article = ArticleFactory(draft=True)
        before = article.version
        assert services.submit_for_review(article, by=editor).version == before + 1

    def test_list_shows_state_and_filters_on_it(self, client, editor):
        ArticleFactory(title="Live one")
        ArticleFactory(title="Later one", scheduled=True)
        client.force_login(editor)
        url = reverse("admin:articles_article_changelist")
        response = client.get(url, {"state": "scheduled"})
        assertContains(response, "Later one")
        assertNotContains(response, "Live one")
        assertContains(response, "Scheduled")


class TestTrashAndGone:
    def test_unpublished_article_answers_410(self, client, editor):
        """An unpublished URL says it is gone, not a bare 404."""
        article = ArticleFactory(title="Retracted story")
        services.unpublish(article, by=editor)
        response = client.get(article.get_absolute_url())
        assert response.status_code == 410
        assertContains(response, "no longer available", status_code=410)

    def test_gone_article_redirects_when_the_editor_chose_a_target(self, client, editor):
        article = ArticleFactory(redirect_url="/city/")
        services.unpublish(article, by=editor)
        response = client.get(article.get_absolute_url())
        assert response.status_code == 301 and response["Location"] == "/city/"

    @pytest.mark.parametrize("target", ["http://[::1", "https://", "https://exa mple.com/"])
    def test_a_redirect_target_no_browser_could_follow_is_a_form_error(self, client, editor, target):
        """A full address that does not parse is refused in the form, and never reaches readers as a 500."""
        article = ArticleFactory(redirect_url="/city/")
        client.force_login(editor)
        response = edit(client, article, redirect_url=target)
        assertContains(response, "a full http(s):// address")
        article.refresh_from_db()
        assert article.redirect_url == "/city/"

    @pytest.mark.parametrize("stored", ["http://[::1", "javascript:alert(1)", "https://"])
    def test_a_redirect_target_stored_before_it_was_checked_gives_the_gone_page(self, client, editor, stored):
        """An address saved before the form refused it (or imported) never makes readers' page a 500."""
        article = ArticleFactory(title="Retracted story")
        services.unpublish(article, by=editor)
        Article.objects.filter(pk=article.pk).update(redirect_url=stored)
        response = client.get(article.get_absolute_url())
        assert response.status_code == 410
        assertContains(response, "no longer available", status_code=410)

    def test_draft_that_never_went_out_is_404(self, client):
        article = ArticleFactory(draft=True)
        assert client.get(article.get_absolute_url()).status_code == 404

    def test_delete_in_admin_moves_to_trash_and_restore_brings_it_back(self, client, editor):
        """Delete -> trash (410, hidden from the list); restore -> live again."""
        article = ArticleFactory(title="Oops deleted")
        client.force_login(editor)
        response = client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.trashed_at is not None
        assert client.get(article.get_absolute_url()).status_code == 410
        client.logout()
        assert client.get(article.get_absolute_url()).status_code == 410
        client.force_login(editor)
        changelist = reverse("admin:articles_article_changelist")
        assertNotContains(client.get(changelist), "Oops deleted")
        assertContains(client.get(changelist, {"trash": "yes"}), "Oops deleted")
        client.post(
            changelist + "?trash=yes", {"action": "restore_selected", "_selected_action": [article.pk]}
        )
        article.refresh_from_db()
        assert article.trashed_at is None
        client.logout()
        assert client.get(article.get_absolute_url()).status_code == 200
        actions = set(article.audit_events.values_list("action", flat=True))
        assert {AuditEvent.Action.TRASHED, AuditEvent.Action.RESTORED} <= actions

    def test_deleting_from_the_trash_is_for_good_and_audited(self, client, editor):
        article = ArticleFactory(title="Gone for good")
        services.trash(article, by=editor)
        client.force_login(editor)
        client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
        assert not Article.objects.filter(pk=article.pk).exists()
        event = AuditEvent.objects.get(action=AuditEvent.Action.DELETED)
        assert event.article_title == "Gone for good" and event.actor == editor


class TestAuditTrail:
    def test_editor_sees_the_trail_read_only(self, client, editor):
        article = ArticleFactory(draft=True, title="Tracked")
        services.publish_article(article, by=editor)
        client.force_login(editor)
        response = client.get(reverse("admin:articles_auditevent_changelist"))
        assertContains(response, "Tracked")
        assertContains(response, "Published")
        event = AuditEvent.objects.get()
        change = client.post(reverse("admin:articles_auditevent_change", args=[event.pk]), {"detail": "x"})
        assert change.status_code == 403

    def test_writer_cannot_read_the_trail(self, client, writer):
        client.force_login(writer)
        assert client.get(reverse("admin:articles_auditevent_changelist")).status_code == 403


STEPS = {
    "submit": lambda article, user: services.submit_for_review(article, by=user),
    "publish": lambda article, user: services.publish_article(article, by=user),
    "schedule": lambda article, user: services.publish_article(
        article, by=user, at=timezone.now() + timedelta(days=1)
    ),
    "unpublish": lambda article, user: services.unpublish(article, by=user),
    "trash": lambda article, user: services.trash(article, by=user),
    "restore": lambda article, user: services.restore_from_trash(article, by=user),
    "correct": lambda article, user: services.add_correction(article, kind="update", text="Note.", by=user),
    "share preview": lambda article, user: services.share_preview(article, by=user),
}
STARTING_STATE = {"submit": "draft", "publish": "review", "schedule": "review", "unpublish": "published"}
# role -> the steps it may take on its own article; every other step is refused.
ALLOWED = {
    "writer": {"submit", "share preview"},
    "editor": set(STEPS),
    "superuser": set(STEPS),
}


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("role", list(ALLOWED))
def test_role_by_step(role, step, writer, editor, superuser):
    """Each role may take exactly its steps; a refused step says why and changes nothing."""
    user = {"writer": writer, "editor": editor, "superuser": superuser}[role]
    state = STARTING_STATE.get(step, "draft")
    article = ArticleFactory(draft=True, status=state, created_by=user)
    if state == "published":
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(hours=1))
    if step == "restore":
        Article.objects.filter(pk=article.pk).update(trashed_at=timezone.now())
    article.refresh_from_db()
    before = (article.status, article.published_at, article.trashed_at, article.version)
    if step in ALLOWED[role]:
        STEPS[step](article, user)
        assert article.audit_events.filter(actor=user).exists()
    else:
        with pytest.raises(services.WorkflowError) as refusal:
            STEPS[step](article, user)
        assert str(refusal.value).startswith(("Only editors", "You may not"))
        article.refresh_from_db()
        assert (article.status, article.published_at, article.trashed_at, article.version) == before
        assert not article.corrections.exists() and not article.preview_links.exists()
