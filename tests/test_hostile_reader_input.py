"""What a reader, a crawler or a script can send to the reader side: odd paths, query
strings and headers. The answer is a page or a 4xx, never a 500, on SQLite and PostgreSQL."""

import pytest

from importers.models import LegacyPath
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/%00/",
        "/city/%00/",
        "/tag/%00/",
        "/feeds/section/%00/rss/",
        "/sitemap-%00.xml",
        "/preview/%00/",
        "/2013/01/11/%00/",
        "/%00/?p=1",
    ],
)
def test_a_nul_byte_in_the_path_is_not_found(client, url):
    """A NUL byte in an address is a 404, not a database error (PostgreSQL refuses NUL)."""
    article = ArticleFactory(section=SectionFactory(slug="city"))
    LegacyPath.objects.create(path="/?p=1", article=article)

    response = client.get(url)

    assert response.status_code == 404
