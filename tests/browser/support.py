"""Helpers for the browser tests: viewports, screenshots and axe-core checks."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags that keep a headless Chromium quiet and offline in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Tests marked with this run once at a phone width and once at a desktop width.
at_phone_and_desktop = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])

SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
DOC_SCREENSHOT_DIR = Path(settings.BASE_DIR) / "docs" / "screenshots"
# The pictures the README shows; `make screenshots` refreshes them.
DOC_SCREENSHOTS = {
    "home-desktop.png", "article-desktop.png", "article-phone.png", "editor-desktop.png",
    "desk-desktop.png", "desk-phone.png", "article-list-desktop.png", "article-list-phone.png",
    "article-form-desktop.png", "article-form-phone.png", "library-desktop.png", "library-phone.png",
    "chooser-desktop.png", "chooser-phone.png",
}  # fmt: skip
# Taller than a screen, not a whole long page.
DOC_SCREENSHOT_MAX_HEIGHT = 1800

BLOCKING_IMPACTS = {"serious", "critical"}
EDITOR_PASSWORD = "a long editor passphrase"
_axe = Axe()


def save_screenshot(page, name, *, doc=None):
    """Photograph the whole page to test-artifacts/screenshots/<name>-<width>.png.

    With DOC_SCREENSHOTS=1 in the environment, a copy small enough for the repository
    also replaces docs/screenshots/<doc>-<phone|desktop>.png, if the README shows it.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = SCREENSHOT_DIR / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=True, animations="disabled")
    doc_file = f"{doc}-{'phone' if width < 600 else 'desktop'}.png"
    if doc and doc_file in DOC_SCREENSHOTS and os.environ.get("DOC_SCREENSHOTS"):
        _save_doc_copy(path, DOC_SCREENSHOT_DIR / doc_file)
    return path


# Every image of the page loaded, lazy ones too, one after another: renditions are made at
# their first request, and the test database (SQLite in memory, shared by the live server's
# threads) answers concurrent first writes with "table is locked", where a real database
# file or PostgreSQL waits. A picture that failed so is fetched alone, then shown again.
_LOAD_EVERY_IMAGE = """async () => {
    const settle = (img) => img.complete ? Promise.resolve()
        : new Promise((done) => { img.addEventListener("load", done, { once: true });
                                   img.addEventListener("error", done, { once: true }); });
    for (let round = 0; round < 4; round++) {
        const images = Array.from(document.images);
        for (const img of images) { img.loading = "eager"; await settle(img); }
        const broken = images.filter((img) => !img.naturalWidth);
        if (!broken.length) return true;
        for (const img of broken) {
            if (img.currentSrc) await fetch(img.currentSrc).catch(() => null);
            img.srcset = img.srcset;
            img.parentElement.querySelectorAll("source").forEach((source) => { source.srcset = source.srcset; });
            await new Promise((done) => setTimeout(done, 50));
            await settle(img);
        }
    }
    return Array.from(document.images).every((img) => img.naturalWidth);
}"""


def load_every_image(page_or_frame):
    """Wait until every image of the page (or frame) has loaded; True when all have."""
    return page_or_frame.evaluate(_LOAD_EVERY_IMAGE)


def _save_doc_copy(source, target):
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        image = image.convert("RGB")
        image = image.crop((0, 0, image.width, min(image.height, DOC_SCREENSHOT_MAX_HEIGHT)))
        # A 128-colour palette keeps text sharp and the file a fraction of the size.
        image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def serious_violations(page, context=None):
    """axe-core's serious and critical violations on the page as it is now."""
    results = _axe.run(page, context=context)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_no_serious_violations(page, context=None):
    violations = serious_violations(page, context)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def log_in(page, user, password):
    """Log ``user`` into the admin through its login form."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def article_list_columns_cut_off(page):
    """The article list's column headers whose right edge is past the list's box (cut off beside
    the filter sidebar, or behind a scroll bar), as {name: pixels cut}."""
    return page.evaluate(
        """() => {
            const box = document.querySelector('#changelist .results').getBoundingClientRect();
            const cut = {};
            for (const th of document.querySelectorAll('#result_list thead th')) {
                const over = th.getBoundingClientRect().right - box.right;
                if (over > 0.5) cut[th.textContent.trim()] = Math.round(over);
            }
            return cut;
        }"""
    )


# The editor (ProseMirror, through django-prose-editor) learns of a caret the browser moved
# at its next selection change, which can come after the next key press on a loaded
# machine. The tests wait until the editor's own selection is where the keys put it.
_CARET_AT_END_OF_BLOCK = """() => {
    const view = document.querySelector(".prose-editor [role=textbox]");
    const selection = view && view.editor && view.editor.state.selection;
    return Boolean(selection && selection.empty
        && selection.$head.parentOffset === selection.$head.parent.content.size);
}"""


def wait_for_caret_at_end_of_block(page):
    """Wait until the body editor's caret is at the end of its paragraph, heading or cell."""
    page.wait_for_function(_CARET_AT_END_OF_BLOCK)


def put_caret_at_end_of(page, block):
    """Click a block of the body editor and move the caret to its end, as an editor would."""
    block.click()
    page.keyboard.press("End")
    wait_for_caret_at_end_of_block(page)
