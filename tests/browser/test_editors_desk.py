"""The editor's desk in Chromium: a writer submits, the editor finds it on the desk and
publishes from the sticky bar; bylines are reordered by mouse and by keyboard; axe-core
checks the desk, the list and the form; the README's pictures of them."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Byline
from tests.browser.support import (
    PHONE,
    article_list_columns_cut_off,
    assert_no_serious_violations,
    at_phone_and_desktop,
)
from tests.browser.test_editorial_workflow import log_in, newsroom_staff, type_body  # noqa: F401
from tests.factories import ArticleFactory, AuthorFactory


def test_writer_submits_editor_publishes_from_the_bar_and_views_it_live(newsroom_staff, log_in):  # noqa: F811
    """A writer submits; the editor sees it on the desk, publishes from the bar after scrolling, follows the link."""
    staff = newsroom_staff
    writer = log_in(staff["wendy"])
    writer.goto(f"/admin/articles/article/add/?section={staff['section'].pk}")
    writer.get_by_label("Title:").fill("Tram line extended to the harbour")
    type_body(writer, "The extension opens next spring with four new stops.")
    writer.get_by_role("button", name="Save and submit for review").click()
    expect(writer.locator(".messagelist")).to_contain_text("Submitted for review")

    editor = log_in(staff["edna"])
    editor.goto("/admin/")
    queue = editor.get_by_role("region", name="Waiting for review (oldest first)")
    expect(queue).to_contain_text("Tram line extended to the harbour")
    expect(queue).to_contain_text("submitted by wendy")
    queue.get_by_role("link", name="Tram line extended to the harbour").click()

    # The bar stays in view at the bottom of the long form.
    editor.mouse.wheel(0, 5000)
    editor.get_by_role(
        "heading", name="Corrections and updates (shown to readers at the end of the article)"
    ).scroll_into_view_if_needed()
    publish = editor.get_by_role("button", name="Save and publish")
    expect(publish).to_be_in_viewport()
    publish.click()
    message = editor.locator(".messagelist")
    expect(message).to_contain_text("Published: “Tram line extended to the harbour”.")
    message.get_by_role("link", name="View it on the site.").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Tram line extended to the harbour")
    assert Article.objects.published().filter(title="Tram line extended to the harbour").exists()


@pytest.fixture
def three_bylines(transactional_db):
    authors = [AuthorFactory(name=name) for name in ["Ann Able", "Ben Bell", "Cat Cole"]]
    return ArticleFactory(title="Three writers", authors=authors)


def byline_order(article):
    return list(
        Byline.objects.filter(article=article)
        .order_by("position", "pk")
        .values_list("author__name", flat=True)
    )


def row_of(page, name):
    return page.locator("#bylines-group tr.form-row").filter(
        has=page.locator("option[selected]", has_text=name)
    )


def test_bylines_reordered_by_dragging_with_the_mouse(editor_page, three_bylines):
    """Dragging a byline's handle above another row saves the new order."""
    page = editor_page
    page.goto(f"/admin/articles/article/{three_bylines.pk}/change/")
    handle = row_of(page, "Cat Cole").get_by_role(
        "button", name="Move Cat Cole (drag, or use the up and down arrow keys)"
    )
    row_of(page, "Ann Able").scroll_into_view_if_needed()
    handle.scroll_into_view_if_needed()
    first = row_of(page, "Ann Able").bounding_box()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, first["y"] + first["height"] / 4, steps=8)
    page.mouse.up()
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert byline_order(three_bylines) == ["Cat Cole", "Ann Able", "Ben Bell"]


def test_bylines_reordered_with_the_keyboard(editor_page, three_bylines):
    """Focusing a byline's handle and pressing the down arrow twice moves it last, and says so."""
    page = editor_page
    page.goto(f"/admin/articles/article/{three_bylines.pk}/change/")
    handle = row_of(page, "Ann Able").get_by_role(
        "button", name="Move Ann Able (drag, or use the up and down arrow keys)"
    )
    handle.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(handle).to_be_focused()
    expect(page.locator("#bylines-group .row-order-status")).to_have_text("Ann Able: position 3 of 3")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert byline_order(three_bylines) == ["Ben Bell", "Cat Cole", "Ann Able"]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_desk_list_and_form_have_no_serious_accessibility_violations(
    editor_page, demo_newsroom, color_scheme
):
    """axe-core finds no serious or critical problem on the desk, the article list and the article form."""
    page = editor_page
    page.emulate_media(color_scheme=color_scheme)
    article = Article.objects.published().first()
    for url in ["/admin/", "/admin/articles/article/", f"/admin/articles/article/{article.pk}/change/"]:
        page.goto(url)
        if "change" in url:
            expect(page.get_by_role("textbox", name="Body")).to_be_visible()
            expect(page.locator("#bylines-group .row-handle").first).to_be_visible()
        assert_no_serious_violations(page)


@at_phone_and_desktop
def test_pictures_of_the_desk_list_and_form(editor_page, demo_newsroom, screenshot, viewport):
    """The desk, the list and the form fit the screen's width, and are photographed for the README."""
    page = editor_page
    article = Article.objects.published().first()
    for url, name in [
        ("/admin/", "desk"),
        ("/admin/articles/article/", "article-list"),
        (f"/admin/articles/article/{article.pk}/change/", "article-form"),
    ]:
        page.goto(url)
        if name == "article-form":
            expect(page.locator("#bylines-group .row-handle").first).to_be_visible()
        screenshot(name, doc=name)
        if viewport == PHONE and name != "article-list":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{url} is {width} px wide on a phone"


def test_a_headline_without_spaces_leaves_the_other_columns_of_the_list_in_view(editor_page):
    """An imported headline with no space (a long path) wraps; state, section and times stay on screen."""
    ArticleFactory(title="Super/Duper/Long/NonBreaking/Path/Name/To/A/File/" * 6 + "Named.txt")
    page = editor_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/articles/article/")
    for column in ["Status", "Section", "Last edited"]:
        expect(page.get_by_role("columnheader", name=column)).to_be_visible()
    assert not article_list_columns_cut_off(page)
