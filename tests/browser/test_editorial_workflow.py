"""The editorial workflow walked through in Chromium: writer, editors, conflict, restore, autosave."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from articles.editorial.roles import sync_groups
from articles.models import Article
from tests.factories import AuthorFactory, SectionFactory


@pytest.fixture
def newsroom_staff(transactional_db, django_user_model):
    """A writer and two editors in their groups, a section and a byline."""
    from django.contrib.auth.models import Group

    sync_groups()
    people = {}
    for username, full_name, group in [
        ("wendy", "Wendy Writer", "Writers"),
        ("edna", "Edna Editor", "Editors"),
        ("eric", "Eric Editor", "Editors"),
    ]:
        first, last = full_name.split()
        user = django_user_model.objects.create_user(
            username, f"{username}@example.com", "pw", is_staff=True, first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get(name=group))
        people[username] = user
    people["section"] = SectionFactory(name="City", slug="city")
    people["author"] = AuthorFactory(name="Wendy Writer", slug="wendy-writer", user=people["wendy"])
    return people


@pytest.fixture
def log_in(browser, browser_context_args, live_server):
    """``log_in(user)``: a new page in its own browser context, logged in as ``user``."""
    contexts = []

    def open_page(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(**browser_context_args)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def type_body(page, text):
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_writer_submits_editor_previews_schedules_publishes_conflict_and_restore(
    newsroom_staff, log_in, screenshot, live_server
):
    """Writer drafts and submits; an editor previews, schedules and publishes; a second editor
    hits the edit conflict; an editor restores an older revision."""
    staff = newsroom_staff

    # The writer drafts an article and submits it for review.
    writer = log_in(staff["wendy"])
    writer.goto(f"/admin/articles/article/add/?section={staff['section'].pk}")
    writer.get_by_label("Title:").fill("Harbour wall to be rebuilt")
    writer.get_by_label("Standfirst:").fill("The council approved the plan on Monday.")
    type_body(writer, "Work starts in spring and lasts two years.")
    expect(writer.get_by_role("button", name="Save and publish")).to_have_count(0)
    screenshot_page(writer, "workflow-1-writer-draft")
    writer.get_by_role("button", name="Save and submit for review").click()
    expect(writer.locator(".messagelist")).to_contain_text(
        "Submitted for review: “Harbour wall to be rebuilt”."
    )
    article = Article.objects.get(title="Harbour wall to be rebuilt")
    assert article.status == Article.Status.IN_REVIEW

    # An editor previews it with unsaved changes...
    edna = log_in(staff["edna"])
    change_url = f"/admin/articles/article/{article.pk}/change/"
    edna.goto(change_url)
    edna.get_by_label("Title:").fill("Harbour wall to be rebuilt by 2028")
    with edna.context.expect_page() as preview_tab:
        edna.get_by_role("button", name="Preview unsaved changes").click()
    preview = preview_tab.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("note", name="Preview")).to_contain_text("Preview of unsaved changes")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Harbour wall to be rebuilt by 2028")
    screenshot_page(preview, "workflow-2-preview")
    preview.close()
    assert Article.objects.get(pk=article.pk).title == "Harbour wall to be rebuilt"

    # ...schedules it for tomorrow...
    tomorrow = timezone.localtime() + timedelta(days=1)
    edna.locator("#id_published_at_0").fill(tomorrow.strftime("%Y-%m-%d"))
    edna.locator("#id_published_at_1").fill("07:00:00")
    edna.get_by_role("button", name="Save and publish").click()
    expect(edna.locator(".messagelist")).to_contain_text("Scheduled for ")
    expect(edna.locator("#result_list")).to_contain_text("Scheduled")
    screenshot_page(edna, "workflow-3-scheduled")
    assert Article.objects.scheduled().filter(pk=article.pk).exists()

    # ...and then publishes it now.
    edna.goto(change_url)
    now = timezone.localtime() - timedelta(minutes=1)
    edna.locator("#id_published_at_0").fill(now.strftime("%Y-%m-%d"))
    edna.locator("#id_published_at_1").fill(now.strftime("%H:%M:%S"))
    edna.get_by_role("button", name="Save", exact=True).first.click()
    expect(edna.locator("#result_list")).to_contain_text("Published")
    assert Article.objects.published().filter(pk=article.pk).exists()

    # Two editors open the article; the second to save is stopped and keeps their words.
    eric = log_in(staff["eric"])
    edna.goto(change_url)
    eric.goto(change_url)
    edna.get_by_label("Standfirst:").fill("The council approved the £4m plan on Monday.")
    edna.get_by_role("button", name="Save and continue editing").first.click()
    expect(edna.locator(".messagelist")).to_contain_text("was changed successfully")
    eric.get_by_label("Title:").fill("Harbour wall rebuild approved")
    eric.get_by_role("button", name="Save and continue editing").first.click()
    conflict = eric.get_by_role("alert").filter(has_text="while you were editing")
    expect(conflict).to_contain_text("Edna Editor saved this article")
    expect(conflict).to_contain_text("£4m")
    expect(eric.get_by_label("Title:")).to_have_value("Harbour wall rebuild approved")
    screenshot_page(eric, "workflow-4-conflict")
    assert Article.objects.get(pk=article.pk).title != "Harbour wall rebuild approved"

    # An editor restores an older revision from the history.
    edna.goto(f"/admin/articles/article/{article.pk}/history/")
    expect(edna.locator(".revision-diff")).to_be_visible()
    screenshot_page(edna, "workflow-5-history")
    edna.get_by_role("button", name="Restore this revision").last.click()
    expect(edna.locator(".messagelist")).to_contain_text("restored as a new revision")
    screenshot_page(edna, "workflow-6-restored")
    restored = Article.objects.get(pk=article.pk)
    assert restored.title == "Harbour wall to be rebuilt"
    assert restored.status == Article.Status.PUBLISHED


def test_autosave_offers_unsaved_work_back_after_the_tab_is_closed(newsroom_staff, log_in, screenshot):
    """Typing is kept in the browser every few seconds and offered back when the form reopens."""
    article = Article.objects.create(
        title="Budget night", section=newsroom_staff["section"], created_by=newsroom_staff["wendy"]
    )
    page = log_in(newsroom_staff["wendy"])
    # Fake timers: the autosave interval runs when the test says so, not after a sleep.
    page.clock.install()
    url = f"/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    page.get_by_label("Title:").fill("Budget night: what changes")
    type_body(page, "Paragraph typed just before the laptop died.")
    page.clock.run_for(7000)
    expect(page.locator("#autosave-status")).to_contain_text("Draft kept in this browser")

    page.goto("about:blank")
    page.goto(url)
    offer = page.get_by_role("alert").filter(has_text="Unsaved changes from")
    expect(offer).to_be_visible()
    expect(page.get_by_label("Title:")).to_have_value("Budget night")
    screenshot_page(page, "autosave-1-offer")
    offer.get_by_role("button", name="Restore my unsaved changes").click()
    expect(page.get_by_label("Title:")).to_have_value("Budget night: what changes")
    expect(page.locator(".field-body .ProseMirror[contenteditable=true]")).to_contain_text(
        "Paragraph typed just before the laptop died."
    )

    # Saving clears the kept copy: reopening offers nothing.
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    saved = Article.objects.get(pk=article.pk)
    assert "laptop died" in saved.body and saved.title == "Budget night: what changes"
    page.goto(url)
    page.clock.run_for(3000)
    expect(page.get_by_role("alert").filter(has_text="Unsaved changes from")).to_have_count(0)
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('newsroom:autosave:'))")
    assert kept == []


def screenshot_page(page, name):
    from tests.browser.support import save_screenshot

    return save_screenshot(page, name)


def test_a_save_lost_in_transit_is_offered_back(newsroom_staff, log_in):
    """When the connection drops as Save is pressed, reopening the form offers what was typed."""
    article = Article.objects.create(
        title="Storm warning", section=newsroom_staff["section"], created_by=newsroom_staff["wendy"]
    )
    page = log_in(newsroom_staff["wendy"])
    page.clock.install()
    url = f"/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    page.clock.run_for(3000)
    type_body(page, "Winds of 120 km/h are expected overnight.")
    page.route(
        "**/change/", lambda route: route.abort() if route.request.method == "POST" else route.continue_()
    )
    page.get_by_role("button", name="Save and continue editing").first.click()
    page.unroute("**/change/")

    page.goto(url)
    page.clock.run_for(3000)
    offer = page.get_by_role("alert").filter(has_text="Unsaved changes from")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Restore my unsaved changes").click()
    expect(page.locator(".field-body .ProseMirror[contenteditable=true]")).to_contain_text("120 km/h")
    assert "120 km/h" not in Article.objects.get(pk=article.pk).body


def test_a_new_articles_kept_copy_goes_once_it_is_added(newsroom_staff, log_in):
    """After a new article is saved, the next "Add article" form offers nothing stale."""
    page = log_in(newsroom_staff["wendy"])
    page.clock.install()
    page.goto(f"/admin/articles/article/add/?section={newsroom_staff['section'].pk}")
    page.clock.run_for(3000)
    page.get_by_label("Title:").fill("Ferry timetable changes")
    page.clock.run_for(4000)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.clock.run_for(1000)

    page.goto(f"/admin/articles/article/add/?section={newsroom_staff['section'].pk}")
    page.clock.run_for(3000)
    expect(page.get_by_role("alert").filter(has_text="Unsaved changes from")).to_have_count(0)
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('newsroom:autosave:'))")
    assert kept == []
