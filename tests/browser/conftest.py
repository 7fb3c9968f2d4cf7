"""Fixtures for the tests that drive Debian's Chromium through Playwright.

Every test under tests/browser/ is marked ``browser``, runs after the rest of the
suite, and is skipped (saying what to install) where Chromium is missing.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, EDITOR_PASSWORD, log_in, save_screenshot

BROWSER_TESTS = Path(__file__).parent


# trylast: after pytest's own reordering by parametrized fixtures, which would
# otherwise put the browser tests back in the middle.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    in_browser = [item for item in items if BROWSER_TESTS in Path(item.path).parents]
    chromium_missing = not os.access(CHROMIUM, os.X_OK)
    for item in in_browser:
        item.add_marker(pytest.mark.browser)
        if chromium_missing:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)"
                )
            )
    # Last, because Playwright's event loop then stays open until the session ends.
    browser_ids = {id(item) for item in in_browser}
    items[:] = [item for item in items if id(item) not in browser_ids] + in_browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def orm_beside_event_loop():
    """Django's ORM allowed in the test thread while Playwright runs its event loop there.

    Playwright's sync API keeps an event loop running in the test thread, and Django
    then refuses every ORM call, the test database's flushes included. The queries
    made there are plain synchronous ones, so allow them while the browser tests run.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def playwright(orm_beside_event_loop, playwright):
    return playwright


@pytest.fixture
def viewport():
    """The window size; tests parametrize it (support.at_phone_and_desktop)."""
    return DESKTOP


@pytest.fixture
def browser_context_args(browser_context_args, live_server, viewport):
    return {**browser_context_args, "base_url": live_server.url, "viewport": viewport, "locale": "en-GB"}


@pytest.fixture
def page(page):
    # A step that waits this long has failed; say so sooner than Playwright's 30 s.
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def demo_newsroom(transactional_db):
    """The demo newsroom of ``seed_demo`` (without its admin account), lead images included."""
    call_command("seed_demo", "--no-superuser", stdout=io.StringIO())


@pytest.fixture
def screenshot(page):
    """``screenshot(name, doc_name=None)``: see support.save_screenshot."""
    return lambda name, **kwargs: save_screenshot(page, name, **kwargs)


@pytest.fixture
def editor(transactional_db, django_user_model):
    """A superuser who logs in through the admin's login form (password EDITOR_PASSWORD)."""
    return django_user_model.objects.create_superuser("editor", "editor@example.com", EDITOR_PASSWORD)


@pytest.fixture
def editor_page(page, editor):
    """A page logged into the admin as ``editor``, through the login form."""
    log_in(page, editor, EDITOR_PASSWORD)
    return page
