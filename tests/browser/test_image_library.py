"""The image library in a real browser: several images uploaded at once, one of them put in
an article's body from the editor's toolbar and as its lead image, and readers see it."""

import pytest
from playwright.sync_api import expect

from images.models import Image
from images.renditions import ensure_rendition, parse_spec
from tests.browser.support import PHONE, at_phone_and_desktop, load_every_image, put_caret_at_end_of
from tests.factories import ArticleFactory, ImageFactory, image_bytes


def photo(name, size):
    return {
        "name": name,
        "mimeType": "image/jpeg",
        "buffer": image_bytes(size, "JPEG", colour=(40, 120, 170)),
    }


def test_upload_insert_in_the_body_save_and_read(editor_page, screenshot):
    """Upload two images with their alt text; insert one as a wide figure from the body editor's
    library button and choose the other as lead image; the article page shows both."""
    page = editor_page
    page.goto("/admin/images/image/")
    page.get_by_role("link", name="Upload several images").click()
    page.get_by_label("Image files").set_input_files(
        [photo("quay.jpg", (1600, 1000)), photo("boat.jpg", (900, 600))]
    )
    page.get_by_label("Alt text (quay.jpg)").fill("The quay at high water")
    page.get_by_label("Caption (quay.jpg)").fill("Water over the quay at noon.")
    page.get_by_label("Credit (quay.jpg)").fill("Photo: Ann Lee")
    page.get_by_role("button", name="Upload and save").click()
    # Every file needs its alt text: the browser holds the form until it has it.
    expect(page.get_by_label("Alt text (boat.jpg)")).to_be_focused()
    page.get_by_label("Alt text (boat.jpg)").fill("A fishing boat in the harbour")
    page.get_by_role("button", name="Upload and save").click()
    expect(page.locator(".messagelist")).to_contain_text("2 images added to the library")
    expect(page.locator("#result_list img.image-thumbnail")).to_have_count(2)
    quay = Image.objects.get(alt="The quay at high water")
    assert (quay.width, quay.height, quay.credit) == (1600, 1000, "Photo: Ann Lee")

    article = ArticleFactory(title="High water on the quay", body="<p>The tide came in.</p>")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    put_caret_at_end_of(page, page.get_by_role("textbox", name="Body").locator("p").first)
    page.get_by_role("button", name="Image from the library (figure with caption and credit)").click()
    chooser = page.frame_locator("dialog iframe")
    chooser.get_by_label("Wide").check()
    chooser.get_by_role("button", name="The quay at high water").click()
    expect(page.locator("dialog")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Body").locator("figure.wide img")).to_be_visible()

    page.get_by_role("button", name="Choose from the library…").click()
    page.frame_locator("dialog iframe").get_by_role("button", name="A fishing boat in the harbour").click()
    expect(page.locator(".field-lead_image img.image-thumbnail")).to_be_visible()
    expect(page.locator(".field-lead_image")).to_contain_text("A fishing boat in the harbour")

    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    article.refresh_from_db()
    assert f'<figure class="wide" data-image="{quay.pk}">' in article.body
    assert 'Water over the quay at noon. <span class="credit">Photo: Ann Lee</span>' in article.body
    assert article.lead_image.alt == "A fishing boat in the harbour"

    page.goto(article.get_absolute_url())
    figure = page.locator(".article__body figure.figure--library")
    expect(figure.locator("picture source[type='image/webp']")).to_have_count(1)
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", "The quay at high water")
    expect(image).to_have_attribute("loading", "lazy")
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    expect(figure.locator("figcaption")).to_contain_text("Water over the quay at noon.")
    screenshot("library-article-figure")


@pytest.fixture
def library():
    """Four images, their thumbnails made beforehand: the test database (SQLite in memory,
    shared between the live server's threads) refuses concurrent first writes of renditions
    with "table is locked", which a real database file or PostgreSQL does not."""
    images = [
        ImageFactory(size=(1200, 800), alt=alt, credit=credit)
        for alt, credit in [
            ("Ferry at the quay", "Photo: Ann Lee"),
            ("Council chamber on budget night", "Photo: Bo Ek"),
            ("Sea wall with a crack", ""),
            ("Harbour master at her desk", "Photo: Ann Lee"),
        ]
    ]
    for image in images:
        ensure_rendition(image, parse_spec(image, "crop-3x2-w160.jpeg"))
    return images


@at_phone_and_desktop
def test_the_library_and_the_chooser_on_a_phone_and_a_desktop(editor_page, library, screenshot, viewport):
    """The list and the chooser fit the screen; the chooser searches."""
    page = editor_page
    page.goto("/admin/images/image/")
    expect(page.locator("#result_list img.image-thumbnail")).to_have_count(4)
    load_every_image(page)
    screenshot("library-list", doc="library")
    article = ArticleFactory()
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.get_by_role("button", name="Choose from the library…").click()
    chooser = page.frame_locator("dialog iframe")
    chooser.get_by_label("Search the library").fill("Ann Lee")
    chooser.get_by_role("button", name="Search").click()
    expect(chooser.locator(".chooser__item")).to_have_count(2)
    load_every_image(page.frames[1])
    screenshot("library-chooser-dialog")
    # The README's picture: the chooser's own page (a full-page shot puts the dialog out of frame).
    page.goto("/admin/images/image/chooser/?for=body")
    load_every_image(page)
    screenshot("library-chooser", doc="chooser")
    if viewport == PHONE:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
