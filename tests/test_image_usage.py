"""Where a library image is used (lead images, author photos, figures in bodies), shown on
its admin page, and why an image in use is never deleted while an unused one goes with its files."""

import re

import pytest
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from images.chooser import figure_source
from images.models import Image, Rendition
from images.renditions import Spec, ensure_rendition
from images.usage import uses_of
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:images_image_changelist")


def figure_of(image_id, alt="A figure"):
    """A body figure from the library, as the editor's library button writes it."""
    return f'<figure data-image="{image_id}"><img src="/media/renditions/{image_id}/k/w960.jpeg" alt="{alt}"></figure>'


def body_with_figure_of(image):
    src, width, height = figure_source(image)
    return (
        f'<p>Before.</p><figure data-image="{image.pk}"><img src="{src}" alt="{image.alt}" '
        f'width="{width}" height="{height}"></figure>'
    )


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(image):
    return reverse("admin:images_image_delete", args=[image.pk])


class TestFindingUses:
    def test_bodies_are_found_by_the_exact_image_number(self):
        """Image 4 is not image 42: a body with a figure of 42 is found for 42 only."""
        with_42 = ArticleFactory(body="<p>Text.</p>" + figure_of(42))
        with_4_and_42 = ArticleFactory(body=figure_of(4) + figure_of(42))
        ArticleFactory(body='<p>data-image="4" in words is text, not a figure.</p>')

        assert list(Article.objects.with_figures_of([4])) == [with_4_and_42]
        assert set(Article.objects.with_figures_of([42])) == {with_42, with_4_and_42}
        assert not Article.objects.with_figures_of([2]).exists()
        assert not Article.objects.with_figures_of([]).exists()

    def test_every_kind_of_use_with_the_articles_state(self):
        """Lead image, figure in a body and author photo are all uses; each article says its state."""
        image = ImageFactory()
        lead = ArticleFactory(title="Harbour floods", lead_image=image)
        in_body = ArticleFactory(title="Sea wall plans", body=body_with_figure_of(image), draft=True)
        author = AuthorFactory(name="Ann Lee", photo=image)
        ArticleFactory(title="Unrelated", lead_image=ImageFactory())

        uses = {(use.role, use.shown_by, use.note) for use in uses_of(image)}

        assert uses == {
            ("lead image", lead, "Published"),
            ("figure in the body", in_body, "Draft"),
            ("photo", author, ""),
        }

    def test_an_article_in_the_trash_still_uses_its_images(self):
        """An article in the trash can be restored: its figures still count, marked as such."""
        image = ImageFactory()
        ArticleFactory(body=body_with_figure_of(image), trashed_at="2024-01-01T00:00:00Z")

        assert [use.note for use in uses_of(image)] == ["In the trash"]

    def test_an_unused_image_has_no_uses(self, django_assert_max_num_queries):
        """Three questions at most, whatever the archive holds."""
        image = ImageFactory()
        ArticleFactory(body=figure_of(image.pk + 1))
        with django_assert_max_num_queries(3):
            assert uses_of(image) == []


class TestUsedInOnTheImagePage:
    def test_the_page_links_to_each_article_and_author_using_it(self, admin_client_logged_in):
        image = ImageFactory()
        lead = ArticleFactory(title="Harbour floods", lead_image=image)
        in_body = ArticleFactory(title="Sea wall plans", body=body_with_figure_of(image))
        author = AuthorFactory(name="Ann Lee", photo=image)

        response = admin_client_logged_in.get(change_url(image))

        assertContains(response, "Used in")
        assertContains(response, f'Lead image of the article <a href="{change_url(lead)}">Harbour floods</a>')
        assertContains(
            response, f'Figure in the body of the article <a href="{change_url(in_body)}">Sea wall plans</a>'
        )
        assertContains(response, f'Photo of the author <a href="{change_url(author)}">Ann Lee</a>')

    def test_an_unused_image_says_so(self, admin_client_logged_in):
        image = ImageFactory()
        assertContains(admin_client_logged_in.get(change_url(image)), "Not used by any article or author.")

    def test_the_page_costs_the_same_with_many_uses(
        self, admin_client_logged_in, django_assert_max_num_queries
    ):
        """Three articles of each kind cost what one does."""
        image = ImageFactory()
        for _ in range(3):
            ArticleFactory(lead_image=image)
            ArticleFactory(body=body_with_figure_of(image))
            AuthorFactory(photo=image)
        with django_assert_max_num_queries(12):
            response = admin_client_logged_in.get(change_url(image))
        assert response.content.decode().count("the article <a href") == 6


class TestDeletingAnImageInUse:
    def test_a_figure_in_a_body_stops_the_deletion_and_is_named(self, admin_client_logged_in):
        """The page says the image is used and where; confirming anyway deletes nothing."""
        image = ImageFactory(alt="Flood at the quay")
        article = ArticleFactory(title="Sea wall plans", body=body_with_figure_of(image))

        page = admin_client_logged_in.get(delete_url(image))
        assertContains(page, "“Flood at the quay” is used on the site, so it cannot be deleted.")
        assertContains(page, f'<a href="{change_url(article)}">Sea wall plans</a>')
        assertNotContains(page, 'name="post"')

        refused = admin_client_logged_in.post(delete_url(image), {"post": "yes"})
        assert refused.status_code == 200
        assertContains(refused, "cannot be deleted")
        assert Image.objects.filter(pk=image.pk).exists()

    @pytest.mark.parametrize(
        "use",
        [
            lambda image: ArticleFactory(title="Harbour floods", lead_image=image),
            lambda image: AuthorFactory(name="Harbour floods", photo=image),
        ],
        ids=["lead image", "author photo"],
    )
    def test_a_lead_image_or_a_photo_stops_it_too(self, admin_client_logged_in, use):
        image = ImageFactory()
        use(image)

        response = admin_client_logged_in.post(delete_url(image), {"post": "yes"})

        assertContains(response, "cannot be deleted")
        assertContains(response, "Harbour floods</a>")
        assert Image.objects.filter(pk=image.pk).exists()

    def test_the_bulk_action_deletes_none_and_names_the_images_in_use(self, admin_client_logged_in):
        used = ImageFactory(alt="Flood at the quay")
        unused = ImageFactory(alt="Empty quay")
        ArticleFactory(title="Sea wall plans", body=body_with_figure_of(used))
        selection = {"action": "delete_selected", "_selected_action": [used.pk, unused.pk]}

        page = admin_client_logged_in.post(LIST_URL, selection)
        assertContains(page, "Some of the selected images are used on the site, so none were deleted.")
        assertContains(page, f"Image {used.pk}: “Flood at the quay”")
        assertContains(page, "Sea wall plans")
        assertNotContains(page, "Empty quay")

        admin_client_logged_in.post(LIST_URL, {**selection, "post": "yes"})
        assert Image.objects.count() == 2

    def test_the_refusal_offers_to_delete_the_unused_ones_of_the_selection(self, admin_client_logged_in):
        """One image in use does not hold up a clean-up: the page offers the others, through
        Django's usual confirmation."""
        used = ImageFactory()
        unused = [ImageFactory(), ImageFactory()]
        ArticleFactory(body=body_with_figure_of(used))
        selection = [used.pk, *(image.pk for image in unused)]

        page = admin_client_logged_in.post(
            LIST_URL, {"action": "delete_selected", "_selected_action": selection}
        )
        assertContains(page, "2 other selected images are not used anywhere.")
        assertContains(page, 'value="Delete only the unused images…"')
        offered = {
            int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', page.content.decode())
        }
        assert offered == {image.pk for image in unused}

        confirmed = {"action": "delete_selected", "_selected_action": sorted(offered), "post": "yes"}
        admin_client_logged_in.post(LIST_URL, confirmed)
        assert list(Image.objects.all()) == [used]

    def test_code_cannot_delete_it_either(self):
        """Not only the admin: a delete from code or the shell is refused for a figure in a body."""
        image = ImageFactory()
        ArticleFactory(body=body_with_figure_of(image))
        with pytest.raises(ProtectedError), transaction.atomic():
            image.delete()
        with pytest.raises(ProtectedError), transaction.atomic():
            Image.objects.filter(pk=image.pk).delete()
        assert Image.objects.filter(pk=image.pk).exists()


class TestDeletingAnUnusedImage:
    def test_it_goes_with_its_renditions_and_their_files(
        self, admin_client_logged_in, django_capture_on_commit_callbacks
    ):
        image = ImageFactory(size=(400, 300))
        rendition = ensure_rendition(image, Spec(320, "jpeg"))
        storage = rendition.file.storage
        files = [rendition.file.name, image.file.name]
        assert all(storage.exists(name) for name in files)
        other_image_in_a_body = ImageFactory()
        ArticleFactory(body=body_with_figure_of(other_image_in_a_body))

        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client_logged_in.post(delete_url(image), {"post": "yes"})

        assert response.status_code == 302
        assert not Image.objects.filter(pk=image.pk).exists()
        assert not Rendition.objects.filter(image_id=image.pk).exists()
        assert not any(storage.exists(name) for name in files)

    def test_the_bulk_action_deletes_unused_images(self, admin_client_logged_in):
        images = [ImageFactory(), ImageFactory()]
        admin_client_logged_in.post(
            LIST_URL,
            {"action": "delete_selected", "_selected_action": [i.pk for i in images], "post": "yes"},
        )
        assert not Image.objects.exists()
