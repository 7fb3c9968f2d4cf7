"""Figures from the image library in article bodies: how the body stores them, and how
reader pages serve them (responsive renditions, sized, lazy, one query per body)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.body import sanitize_body
from articles.body.render import reader_body
from images.chooser import figure_source
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


def library_figure(image, *, wide=False, alt=None, caption="", credit=""):
    """A figure as the editor's library button writes it."""
    src, width, height = figure_source(image)
    figcaption = ""
    if caption or credit:
        credit_html = f'<span class="credit">{credit}</span>' if credit else ""
        figcaption = f"<figcaption>{caption}{' ' if caption and credit else ''}{credit_html}</figcaption>"
    wide_class = ' class="wide"' if wide else ""
    return (
        f'<figure{wide_class} data-image="{image.pk}"><img src="{src}" '
        f'alt="{image.alt if alt is None else alt}" width="{width}" height="{height}">{figcaption}</figure>'
    )


class TestStored:
    def test_a_library_figure_is_kept_as_written(self):
        """The editor's figure, wide or not, with caption and credit, is the canonical form."""
        image = ImageFactory(size=(1200, 800))
        for body in [
            library_figure(image, caption="High water.", credit="Photo: Ann Lee"),
            library_figure(image, wide=True),
        ]:
            assert sanitize_body(body) == body

    @pytest.mark.parametrize("forged", ["abc", "0", "-3", "1" * 30, "4 5", ""])
    def test_a_forged_image_number_is_dropped(self, forged):
        body = f'<figure data-image="{forged}"><img src="/a.jpg" alt="A"></figure>'
        assert sanitize_body(body) == '<figure><img src="/a.jpg" alt="A"></figure>'

    def test_a_number_on_a_figure_of_several_pictures_is_dropped(self):
        """Such a figure becomes one figure per picture; none of them claims the number."""
        body = '<figure data-image="4"><img src="/a.jpg" alt="A"><img src="/b.jpg" alt="B"></figure>'
        assert "data-image" not in sanitize_body(body)


class TestReaderPages:
    def test_the_figure_is_a_responsive_picture_with_the_bodys_words(self, client):
        """Readers get srcset, sizes, width and height and lazy loading; alt, caption and credit
        are those written in the body."""
        image = ImageFactory(size=(2000, 1000), alt="Library alt")
        article = ArticleFactory(
            body="<p>Before.</p>"
            + library_figure(image, alt="The pier at noon", caption="The pier.", credit="Photo: Bo Ek")
        )
        page = client.get(article.get_absolute_url()).content.decode()
        figure = re.search(r'<figure class="figure--library" data-image="\d+">.*?</figure>', page, re.S)[0]
        assert "<picture>" in figure and 'type="image/webp"' in figure
        img = re.search(r"<img [^>]*>", figure)[0]
        assert re.search(r'srcset="[^"]* 320w, [^"]* 1600w"', img)
        assert 'sizes="(min-width: 44rem) 42rem, 100vw"' in img
        assert 'width="960" height="480"' in img
        assert 'loading="lazy"' in img and 'alt="The pier at noon"' in img
        assert 'The pier. <span class="credit">Photo: Bo Ek</span>' in figure

    def test_a_wide_figure_is_offered_wider_renditions(self):
        image = ImageFactory(size=(2400, 1200))
        html = reader_body(library_figure(image, wide=True))
        assert '<figure class="figure--library wide"' in html
        assert "2048w" in html and "(min-width: 64rem) 54rem" in html

    def test_a_figure_whose_image_is_gone_keeps_its_stored_picture(self):
        image = ImageFactory()
        stored = library_figure(image)
        image.delete()
        assert reader_body(stored) == stored

    def test_all_figures_of_a_body_cost_one_query(self):
        images = [ImageFactory(size=(800, 600)) for _ in range(6)]
        body = "".join(library_figure(image) for image in images)
        with CaptureQueriesContext(connection) as queries:
            html = reader_body(body)
        assert len(queries) == 1
        assert html.count("<picture>") == 6
        with CaptureQueriesContext(connection) as queries:
            reader_body("<p>No figures.</p>")
        assert len(queries) == 0

    def test_the_article_page_does_not_grow_with_its_figures(self, client, django_assert_max_num_queries):
        """An article with six library figures asks the database once more than one with none."""
        plain = ArticleFactory(body="<p>Words.</p>")
        with CaptureQueriesContext(connection) as baseline:
            client.get(plain.get_absolute_url())
        images = [ImageFactory(size=(800, 600)) for _ in range(6)]
        rich = ArticleFactory(body="".join(library_figure(image) for image in images), section=plain.section)
        with django_assert_max_num_queries(len(baseline) + 1):
            page = client.get(rich.get_absolute_url())
        assert page.content.decode().count('class="figure--library"') == 6
