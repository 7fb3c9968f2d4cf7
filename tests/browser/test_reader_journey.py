from playwright.sync_api import expect

from articles.models import Article
from tests.browser.support import at_phone_and_desktop, load_every_image


@at_phone_and_desktop
def test_reader_goes_from_the_cover_story_through_related_and_topic_pages_back_to_top_and_searches(
    page, demo_newsroom, screenshot, viewport
):
    """A reader reaches the cover story, a related article, its topic page, the top again and a search."""
    cover = Article.objects.published().get(featured=True)
    related = cover.related_links.first().to_article

    page.goto("/")
    expect(page).to_have_title("The Newsroom")
    assert load_every_image(page)
    screenshot("reader-1-home", doc="home")
    page.get_by_role("region", name="Cover story").get_by_role("link", name=cover.title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(cover.title)
    expect(page.get_by_role("img", name=cover.lead_image.alt)).to_be_visible()
    assert load_every_image(page)
    screenshot("reader-2-cover-story", doc="article")
    page.get_by_role("complementary", name="Related Articles").get_by_role("link", name=related.title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(related.title)
    tag = related.tags.order_by("name").first()
    screenshot("reader-3-related-article")
    page.get_by_role("link", name=tag.name, exact=True).click()

    expect(page).to_have_url(f"/tag/{tag.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tag.name)
    expect(page.get_by_role("link", name=related.title)).to_be_visible()
    screenshot("reader-4-topic")

    page.get_by_role("link", name="Back to top").click()
    expect(page.locator(":focus")).to_have_id("top")
    page.wait_for_function("() => window.scrollY === 0")

    page.get_by_role("banner").get_by_role("link", name="Search").click()
    page.get_by_role("searchbox").fill("seawall levy")
    page.get_by_role("searchbox").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("for “seawall levy”")
    expect(page.get_by_role("link", name=cover.title)).to_be_visible()
    screenshot("reader-5-search")
