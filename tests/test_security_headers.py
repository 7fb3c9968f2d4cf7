"""Security headers every response carries: CSP, Permissions-Policy, COOP, Referrer-Policy."""

import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory


def directives(response, header="Content-Security-Policy"):
    """The policy's directives as {name: [sources]}."""
    policy = response[header]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.mark.parametrize(
    "url",
    ["/", "/search/?q=x", "/tags/", "/corrections/", "/feeds/rss/", "/sitemap.xml", "/no-such-page/"],
)
def test_every_reader_response_has_a_policy_without_inline_scripts(client, article, url):
    """Scripts only from this site or with a nonce: no unsafe-inline, no unsafe-eval, no plugins."""
    response = client.get(url)
    policy = directives(response)
    assert policy["script-src"][0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(policy["script-src"] + policy["default-src"])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_article_page_has_the_policy(client, article):
    """The article page itself carries the same policy."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_admin_article_form_gives_its_inline_import_map_the_nonce_of_the_policy(admin_client_logged_in):
    """The body editor's <script type="importmap"> runs only because it carries the header's nonce."""
    response = admin_client_logged_in.get(reverse("admin:articles_article_add"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    importmap = re.search(r'<script type="importmap"[^>]*>', html).group(0)
    assert f'nonce="{nonce}"' in importmap
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" not in tag:
            assert f'nonce="{nonce}"' in tag, f"inline script without the nonce: {tag}"


def test_each_response_gets_its_own_nonce(admin_client_logged_in):
    """A nonce is good for one response only."""
    url = reverse("admin:articles_article_add")
    first = directives(admin_client_logged_in.get(url))["script-src"]
    second = directives(admin_client_logged_in.get(url))["script-src"]
    assert first != second


def test_embed_providers_players_may_be_framed_and_nothing_else(client, article):
    """frame-src: this site and the known embed providers' players, over HTTPS only."""
    frames = directives(client.get("/"))["frame-src"]
    assert frames[0] == "'self'"
    assert "https://www.youtube-nocookie.com" in frames
    assert "https://player.vimeo.com" in frames
    assert all(source.startswith("https://") for source in frames[1:])
    assert "https://www.youtube.com" not in frames  # the tracking domain, never embedded


def test_report_only_mode_sends_the_policy_without_enforcing_it(client, article, settings):
    """CSP_REPORT_ONLY=true moves the same policy to the report-only header."""
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert directives(response, "Content-Security-Policy-Report-Only")["object-src"] == ["'none'"]


def test_browser_features_the_site_never_uses_are_switched_off(client, article):
    """Camera, microphone, geolocation, payment... are refused to the page and to any frame."""
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "browsing-topics"):
        assert f"{feature}=()" in policy


def test_opener_and_referrer_policies(client, article):
    """No other window keeps a handle on ours; other sites get the origin only."""
    response = client.get(article.get_absolute_url())
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
