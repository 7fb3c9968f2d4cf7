from playwright.sync_api import expect

from articles.models import Article
from tests.browser.support import (
    EDITOR_PASSWORD,
    at_phone_and_desktop,
    log_in,
    wait_for_caret_at_end_of_block,
)

TITLE = "Harbour levy vote set for March"


def choose_in_autocomplete(page, combobox, typed, option):
    """Pick ``option`` in an admin autocomplete (select2) box after typing ``typed``."""
    # Until select2 has started, the name belongs to the bare <select> it then covers.
    expect(combobox).to_have_attribute("aria-haspopup", "true")
    combobox.click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()
    expect(combobox).to_contain_text(option)


@at_phone_and_desktop
def test_editor_writes_an_article_with_heading_link_and_list_and_readers_see_it(
    page, demo_newsroom, editor, screenshot, viewport
):
    """An editor logs in, writes and publishes an article in the admin, and it reads right on the site."""
    cover = Article.objects.published().get(featured=True)
    log_in(page, editor, EDITOR_PASSWORD)
    articles_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Articles", exact=True))
    articles_row.get_by_role("link", name="Add").click()
    expect(page.get_by_role("heading", name="Add article")).to_be_visible()

    page.get_by_label("Title").fill(TITLE)
    choose_in_autocomplete(page, page.get_by_role("combobox", name="Section"), "Cit", "City")
    page.get_by_label("Standfirst").fill("Councillors will decide who pays for the new seawall.")

    body = page.get_by_role("textbox", name="Body")
    body.click()
    page.keyboard.type("What happens next")
    page.locator(".prose-menubar__selected").first.click()  # the block type menu
    page.get_by_role("button", name="Heading 2").click()
    page.keyboard.press("End")
    wait_for_caret_at_end_of_block(page)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="unordered list").click()
    page.keyboard.type("A levy on waterfront property")
    page.keyboard.press("Enter")
    page.keyboard.type("More borrowing")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    # The link comes last: text typed right after the link dialog can race the
    # editor's reading of the selection.
    page.keyboard.type("Read the council report")
    for _ in "report":
        page.keyboard.press("Shift+ArrowLeft")
    page.get_by_role("button", name="insert link").click()
    page.get_by_role("dialog").get_by_label("URL").fill("https://example.org/council-report")
    page.get_by_role("dialog").get_by_role("button", name="Update").click()
    expect(body.get_by_role("link", name="report")).to_be_visible()

    page.get_by_label("Tags").fill("Seawall, Budget")
    choose_in_autocomplete(page, page.get_by_role("combobox", name="Author"), "Maria", "Maria Lopez")
    choose_in_autocomplete(page, page.get_by_role("combobox", name="To article"), "tide", cover.title)
    sidebar_toggle = page.get_by_role("button", name="Toggle navigation")
    if sidebar_toggle.is_visible():  # the whole width for the form, and for its picture
        sidebar_toggle.click()
    screenshot("editor-1-article-form", doc="editor")
    page.get_by_role("button", name="Save and publish").click()

    expect(page.locator(".messagelist")).to_contain_text(TITLE)
    article = Article.objects.get(title=TITLE)
    assert article.is_published
    page.goto(article.get_absolute_url())
    article_element = page.get_by_role("article")
    article_body = article_element.locator(".article__body")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(article_body.get_by_role("heading", level=2)).to_have_text("What happens next")
    expect(article_body.get_by_role("listitem")).to_have_text(
        ["A levy on waterfront property", "More borrowing"]
    )
    expect(article_body.get_by_role("link", name="report")).to_have_attribute(
        "href", "https://example.org/council-report"
    )
    expect(article_element.get_by_role("link", name="Maria Lopez")).to_be_visible()
    expect(article_element.get_by_role("link", name="Seawall", exact=True)).to_be_visible()
    expect(page.get_by_role("complementary", name="Related Articles")).to_contain_text(cover.title)
    screenshot("editor-2-published-article")


def test_the_library_refuses_an_image_without_alt_text_and_says_why(editor_page, demo_newsroom, tmp_path):
    """Uploading a picture with no alt text shows the error at the alt text field; with one, it is kept."""
    from PIL import Image as PILImage

    from images.models import Image

    image_path = tmp_path / "uploaded-by-the-test.png"
    PILImage.new("RGB", (640, 360), (20, 60, 90)).save(image_path)
    images_before = Image.objects.count()
    page = editor_page
    page.goto("/admin/images/image/add/")
    page.locator("#id_file").set_input_files(image_path)
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(page.locator(".field-alt .errorlist")).to_have_text("This field is required.")
    assert Image.objects.count() == images_before
    page.locator("#id_file").set_input_files(image_path)
    page.get_by_label("Alt text").fill("Harbour wall in the rain")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_text("was added successfully")).to_be_visible()

    assert Image.objects.get(alt="Harbour wall in the rain").width == 640
    # Choosing it as a lead image through the chooser: tests/browser/test_image_library.py.
