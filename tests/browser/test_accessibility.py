import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from articles.editorial.services import trash
from articles.models import Article, Author, Correction, PreviewLink, Section
from tests.browser.support import (
    PHONE,
    assert_no_serious_violations,
    at_phone_and_desktop,
    describe_violations,
    serious_violations,
)
from tests.factories import ArticleFactory


def reader_pages():
    """One URL for every reader page template, from the demo newsroom."""
    cover = Article.objects.published().get(featured=True)
    tag = cover.tags.order_by("name").first()
    Correction.objects.create(article=cover, text="An earlier version gave the wall's length as 2.3 km.")
    taken_down = Article.objects.published().exclude(pk=cover.pk).latest_first().last()
    trash(taken_down, by=get_user_model().objects.create_superuser("desk", "desk@example.com", "pw"))
    draft = ArticleFactory(draft=True, section=cover.section, title="A draft for a reviewer")
    return {
        "home": "/",
        "section": Section.objects.get(slug="city").get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "tag index": "/tags/",
        "author": Author.objects.get(slug="maria-lopez").get_absolute_url(),
        "article": cover.get_absolute_url(),
        "search results": "/search/?q=seawall",
        "search without results": "/search/?q=zeppelin",
        "corrections": "/corrections/",
        "404": "/no-such-section/no-such-article/",
        "410": taken_down.get_absolute_url(),
        "shared preview": PreviewLink.objects.create(article=draft).get_absolute_url(),
        "refused preview": "/preview/not-a-signed-token/",
    }


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_reader_pages_have_no_serious_accessibility_violations(page, demo_newsroom, color_scheme):
    """axe-core finds no serious or critical problem on any reader page, light or dark."""
    page.emulate_media(color_scheme=color_scheme)
    found = {}
    for name, url in reader_pages().items():
        response = page.goto(url)
        assert response.status == {"404": 404, "410": 410, "refused preview": 404}.get(name, 200), name
        violations = serious_violations(page)
        if violations:
            found[name] = describe_violations(violations)
    assert not found, "\n".join(f"== {name}\n{report}" for name, report in found.items())


def test_the_axe_check_fails_on_a_page_with_a_serious_violation(page, live_server):
    """The check itself works: an image without alt text is reported."""
    page.goto("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    assert [v["id"] for v in serious_violations(page)] == ["image-alt"]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_article_admin_form_has_no_serious_accessibility_violations(editor_page, demo_newsroom, color_scheme):
    """The article add and change forms pass axe-core, editor and autocomplete widgets included."""
    page = editor_page
    page.emulate_media(color_scheme=color_scheme)
    cover = Article.objects.get(featured=True)
    for url in ["/admin/articles/article/add/", f"/admin/articles/article/{cover.pk}/change/"]:
        page.goto(url)
        # The widgets that scripts build are named once they exist.
        expect(page.get_by_role("textbox", name="Body")).to_be_visible()
        expect(page.get_by_role("combobox", name="Section")).to_be_visible()
        assert_no_serious_violations(page)


@at_phone_and_desktop
def test_skip_link_appears_on_tab_and_moves_focus_to_the_content(page, demo_newsroom, viewport):
    """The first Tab shows the skip link with a focus outline; Enter moves focus to the main content."""
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main")


@at_phone_and_desktop
def test_every_header_link_is_reached_by_tab_with_a_visible_focus_outline(page, demo_newsroom, viewport):
    """Tab walks the skip link and then every link in the header, each with a visible outline."""
    page.goto("/")
    header_links = [name.strip() for name in page.locator("header#top a").all_inner_texts()]
    sections = Section.objects.filter(show_in_navigation=True).values_list("name", flat=True)
    assert set(sections) <= set(header_links)
    expected = ["Skip to content", *header_links]
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        expect(focused).to_be_in_viewport()
        outline = focused.evaluate(
            "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
        )
        assert outline.startswith("solid") and not outline.endswith(" 0px"), outline
        reached.append(focused.inner_text().strip())
    assert reached == expected


def test_back_to_top_by_keyboard_moves_focus_to_the_header(page, demo_newsroom):
    """Pressing Enter on "Back to top" scrolls up and puts focus on the site header."""
    page.goto(Article.objects.get(featured=True).get_absolute_url())
    # The reader has read to the end (instantly: a smooth scroll still running would
    # carry on after the jump).
    page.evaluate("window.scrollTo({top: document.body.scrollHeight, behavior: 'instant'})")
    page.get_by_role("link", name="Back to top").focus()
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("top")
    page.wait_for_function("() => window.scrollY === 0")


def test_reduced_motion_turns_off_smooth_scrolling(page, demo_newsroom):
    """Smooth scrolling is on by default and off when the reader asks for reduced motion."""
    page.goto("/")
    scroll_behavior = "getComputedStyle(document.documentElement).scrollBehavior"
    assert page.evaluate(scroll_behavior) == "smooth"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(scroll_behavior) == "auto"


def test_dark_colour_scheme_gives_light_text_on_a_dark_page(page, demo_newsroom, screenshot):
    """A reader whose system is dark gets the dark theme."""
    page.emulate_media(color_scheme="dark")
    page.goto(Article.objects.get(featured=True).get_absolute_url())
    background, text = page.evaluate(
        "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    assert background == "rgb(22, 21, 20)" and text == "rgb(236, 233, 228)"
    screenshot("article-dark")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_reader_pages_fit_a_phone_screen_without_sideways_scrolling(page, demo_newsroom, viewport):
    """At 390 px every reader page reflows into the width of the screen (WCAG 1.4.10)."""
    too_wide = {}
    for name, url in reader_pages().items():
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            too_wide[name] = width
    assert not too_wide, f"pages wider than {viewport['width']} px: {too_wide}"
