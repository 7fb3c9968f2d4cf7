"""The Content-Security-Policy, in a real browser: no page of the site or of the admin breaks it."""

import pytest
from playwright.sync_api import expect
from taggit.models import Tag

from articles.models import Article, Author, PreviewLink, Section, sign_preview_token
from images.models import Image
from tests.browser.support import EDITOR_PASSWORD, log_in

# Runs in every document before its own scripts: records what the policy blocked.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def watched_page(page):
    """A page whose CSP violations (events and console reports) are collected in page.csp_problems."""
    problems = []
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.csp_problems = problems
    return page


def visit(page, url, status=200):
    """Open ``url``, let its scripts and modules run, and fail on any CSP violation."""
    response = page.goto(url)
    assert response.status == status, f"{url}: {response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert_no_violation(page)


def assert_no_violation(page):
    violations = page.evaluate("() => window.__cspViolations") + page.csp_problems
    assert not violations, f"CSP violations on {page.url}:\n" + "\n".join(violations)


def test_reader_pages_break_no_rule_of_the_policy(watched_page, demo_newsroom):
    """Every reader template (home, article, section, tag, author, search, corrections, errors, preview)."""
    page = watched_page
    article = (
        Article.objects.published().filter(lead_image__isnull=False).first()
        or Article.objects.published().first()
    )
    tag = article.tags.first() or Tag.objects.first()
    author = Author.objects.filter(bylines__article__in=Article.objects.published()).first()
    for url in [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        f"/tag/{tag.slug}/",
        "/tags/",
        f"/author/{author.slug}/",
        "/search/?q=" + article.title.split()[0],
        "/corrections/",
    ]:
        visit(page, url)
    visit(page, "/no-such-section/", status=404)
    visit(page, "/preview/not-a-real-link/", status=404)

    gone = Article.objects.published().exclude(pk=article.pk).first()
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.UNPUBLISHED)
    visit(page, gone.get_absolute_url(), status=410)

    draft = Article.objects.create(
        title="A draft shown through a preview link",
        section=Section.objects.first(),
        dek="Not published yet.",
        body="<p>Draft text.</p>",
        status=Article.Status.DRAFT,
    )
    link = PreviewLink.objects.create(article=draft)
    visit(page, f"/preview/{sign_preview_token(link.token)}/")
    expect(page.get_by_text("Draft text.")).to_be_visible()


def test_admin_forms_break_no_rule_of_the_policy_and_the_body_editor_runs(
    watched_page, demo_newsroom, editor
):
    """Login, lists and forms of articles, sections, authors and tags, history and preview, with the policy on."""
    page = watched_page
    visit(page, "/admin/login/")
    log_in(page, editor, EDITOR_PASSWORD)
    assert_no_violation(page)
    article = Article.objects.published().first()
    section = Section.objects.first()
    author = Author.objects.first()
    tag = Tag.objects.first()
    for url in [
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        f"/admin/articles/article/{article.pk}/history/",
        "/admin/articles/section/",
        "/admin/articles/section/add/",
        f"/admin/articles/section/{section.pk}/change/",
        "/admin/articles/author/",
        "/admin/articles/author/add/",
        f"/admin/articles/author/{author.pk}/change/",
        "/admin/taggit/tag/",
        f"/admin/taggit/tag/{tag.pk}/change/",
        "/admin/auth/user/",
        "/admin/images/image/",
        "/admin/images/image/upload/",
        f"/admin/images/image/{Image.objects.first().pk}/change/",
        "/admin/images/image/chooser/?for=body",
    ]:
        visit(page, url)
    # The body editor (ProseMirror, loaded through an inline import map) really started.
    visit(page, "/admin/articles/article/add/")
    body = page.get_by_role("textbox", name="Body")
    body.click()
    page.keyboard.type("Typed under the policy")
    expect(body).to_contain_text("Typed under the policy")
    assert_no_violation(page)
    # The image chooser, in its dialog, is framed by the form under the same policy.
    page.get_by_role("button", name="Choose from the library…").click()
    expect(page.frame_locator("dialog iframe").locator(".chooser__item").first).to_be_visible()
    assert_no_violation(page)
    assert page.frames[1].evaluate("() => window.__cspViolations || []") == []
    page.get_by_role("button", name="Close").click()

    # "Preview unsaved changes" of an empty form: the preview's error page, in a new tab.
    with page.context.expect_page() as new_tab:
        page.get_by_role("button", name="Preview unsaved changes").click()
    preview = new_tab.value
    preview.wait_for_load_state("networkidle")
    expect(preview.get_by_role("heading", level=1)).to_be_visible()
    assert preview.evaluate("() => window.__cspViolations") == []
