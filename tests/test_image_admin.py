"""The image library in the admin: the list, uploading several files at once, the focal
point, the chooser, and the lead-image field that uses it."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from pytest_django.asserts import assertContains, assertNotContains

from images.models import Image
from tests.factories import ArticleFactory, ImageFactory, image_bytes

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:images_image_changelist")
UPLOAD_URL = reverse("admin:images_image_upload")
CHOOSER_URL = reverse("admin:images_image_chooser")


def jpeg(name="harbour.jpg", size=(300, 200)):
    return SimpleUploadedFile(name, image_bytes(size, "JPEG"), content_type="image/jpeg")


def bad_files():
    """(file, what the editor is told) for each kind of upload the library refuses."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return {
        "not an image": (
            SimpleUploadedFile("notes.jpg", b"%PDF-1.4 a document"),
            "not an image Newsroom can read",
        ),
        "svg": (SimpleUploadedFile("logo.svg", svg, "image/svg+xml"), "SVG files are not accepted"),
        "too big": (
            SimpleUploadedFile("big.jpg", image_bytes((40, 30), "JPEG") + b"\0" * 5000, "image/jpeg"),
            "images may be at most",
        ),
        "bomb": (SimpleUploadedFile("huge.png", image_bytes((64, 36)), "image/png"), "too many pixels"),
    }


@pytest.fixture
def limits(settings, monkeypatch):
    """Limits that the "too big" file (over 5,000 bytes) and the "bomb" (2,304 pixels) pass,
    and a 40 x 30 JPEG does not."""
    settings.IMAGE_MAX_UPLOAD_BYTES = 4000
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 1300)


class TestLibraryList:
    def test_thumbnails_and_search_by_alt_caption_and_credit(self, admin_client_logged_in):
        """The list shows each image's thumbnail; search finds words of the alt text, caption or credit."""
        ImageFactory(alt="Ferry at the quay", caption="The 7.15 leaves", credit="Photo: Ann Lee")
        ImageFactory(alt="Council chamber", caption="Budget night", credit="Photo: Bo Ek")
        for words in ["Ferry", "7.15", "Ann Lee"]:
            response = admin_client_logged_in.get(LIST_URL, {"q": words})
            assertContains(response, "Ferry at the quay")
            assertContains(response, 'class="image-thumbnail"')
            assertNotContains(response, "Council chamber")
        assertContains(admin_client_logged_in.get(LIST_URL), "Upload several images")

    def test_a_search_with_control_characters_is_a_page(self, admin_client_logged_in):
        """A NUL in the search box (PostgreSQL refuses it in text) searches for the rest."""
        ImageFactory(alt="Ferry at the quay")
        assertContains(admin_client_logged_in.get(LIST_URL, {"q": "Fer\x00ry"}), "Ferry at the quay")

    def test_filter_by_uploader(self, admin_client_logged_in, superuser, writer):
        """The "uploaded by" filter offers the people who uploaded, and keeps their images only."""
        ImageFactory(alt="Mine", uploaded_by=superuser)
        ImageFactory(alt="The writer's", uploaded_by=writer)
        response = admin_client_logged_in.get(LIST_URL, {"uploaded_by__id__exact": writer.pk})
        assertContains(response, "The writer&#x27;s")
        assertNotContains(response, ">Mine<")

    def test_the_list_asks_the_database_a_fixed_number_of_times(
        self, admin_client_logged_in, superuser, django_assert_max_num_queries
    ):
        """Thumbnails need no query of their own: 30 images cost what 3 do."""
        for _ in range(30):
            ImageFactory(uploaded_by=superuser)
        with django_assert_max_num_queries(12):
            response = admin_client_logged_in.get(LIST_URL)
        assert response.content.decode().count('class="image-thumbnail"') == 30


class TestUploadSeveral:
    def post(self, client, files, alts, **extra):
        return client.post(UPLOAD_URL, {"files": files, "alt": alts, **extra})

    def test_several_files_each_with_its_alt_text(self, admin_client_logged_in, superuser):
        """Two files and two descriptions make two library images, uploaded by the editor."""
        response = self.post(
            admin_client_logged_in,
            [jpeg("one.jpg"), jpeg("two.jpg", (200, 300))],
            ["The quay at dawn", "A fishing boat"],
            caption=["Low tide.", ""],
            credit=["", "Photo: Bo Ek"],
        )
        assert response.status_code == 302
        images = {image.alt: image for image in Image.objects.all()}
        assert set(images) == {"The quay at dawn", "A fishing boat"}
        assert images["The quay at dawn"].caption == "Low tide."
        assert images["A fishing boat"].credit == "Photo: Bo Ek"
        assert (images["A fishing boat"].width, images["A fishing boat"].height) == (200, 300)
        assert all(image.uploaded_by == superuser for image in images.values())

    @pytest.mark.parametrize("kind", ["not an image", "svg", "too big", "bomb"])
    def test_one_bad_file_saves_none_and_says_which(self, admin_client_logged_in, limits, kind):
        """A refused file is named with the reason beside it, and the good ones are not half-saved."""
        bad, message = bad_files()[kind]
        response = self.post(admin_client_logged_in, [jpeg("good.jpg", (40, 30)), bad], ["Good", "Bad"])
        assert response.status_code == 400
        assertContains(response, message, status_code=400)
        assertContains(response, bad.name, status_code=400)
        assertContains(response, "Nothing was saved", status_code=400)
        assert not Image.objects.exists()

    def test_alt_text_is_required_for_each_file(self, admin_client_logged_in):
        """A file without its alt text is refused (as a browser without JavaScript would send it)."""
        response = self.post(admin_client_logged_in, [jpeg("one.jpg"), jpeg("two.jpg")], ["Described", " "])
        assertContains(response, "two.jpg", status_code=400)
        assertContains(response, "Alt text: describe the picture", status_code=400)
        assert not Image.objects.exists()
        # What was typed comes back, by file name, for when the files are picked again.
        previous = re.search(r'<script id="upload-previous" type="application/json">(.*?)</script>',
                             response.content.decode()).group(1)  # fmt: skip
        assert json.loads(previous)["one.jpg"]["alt"] == "Described"

    def test_no_files(self, admin_client_logged_in):
        assertContains(
            self.post(admin_client_logged_in, [], []), "Pick at least one image file", status_code=400
        )

    def test_writers_may_upload_others_may_not(self, client, writer, django_user_model):
        """Writers bring their own pictures; a staff member without the permission gets a 403."""
        client.force_login(writer)
        assert self.post(client, [jpeg()], ["Writer's photo"]).status_code == 302
        outsider = django_user_model.objects.create_user("out", "o@example.com", "pw", is_staff=True)
        client.force_login(outsider)
        assert self.post(client, [jpeg()], ["No"]).status_code == 403
        assert Image.objects.count() == 1


class TestChangeForm:
    def test_the_preview_sets_the_focal_point(self, admin_client_logged_in):
        """The form shows the whole picture to click on, and number fields for the keyboard."""
        image = ImageFactory(size=(120, 80))
        response = admin_client_logged_in.get(reverse("admin:images_image_change", args=[image.pk]))
        assertContains(response, "data-focal-point")
        assertContains(response, 'width="120" height="80"')
        assertContains(response, 'name="focal_x"')
        assertContains(response, "image-focal-point.js")
        response = admin_client_logged_in.post(
            reverse("admin:images_image_change", args=[image.pk]),
            {"alt": image.alt, "caption": "", "credit": "", "focal_x": "0.2", "focal_y": "0.9"},
        )
        assert response.status_code == 302
        image.refresh_from_db()
        assert (image.focal_x, image.focal_y) == (0.2, 0.9)

    def test_a_focal_point_outside_the_picture_is_a_form_error(self, admin_client_logged_in):
        image = ImageFactory()
        response = admin_client_logged_in.post(
            reverse("admin:images_image_change", args=[image.pk]),
            {"alt": image.alt, "focal_x": "1.5", "focal_y": "NaN"},
        )
        assert response.status_code == 200
        assertContains(response, "less than or equal to 1")


def chooser_entries(response):
    match = re.search(
        r'<script id="chooser-entries" type="application/json">(.*?)</script>', response.content.decode()
    )
    return json.loads(match.group(1)) if match else {}


class TestChooser:
    def test_lists_searches_and_pages(self, admin_client_logged_in, django_assert_max_num_queries):
        """Thumbnails 24 to a page, newest first; search narrows them; each carries what a form needs."""
        for number in range(30):
            ImageFactory(alt=f"Picture {number}", credit="Photo: Ann Lee" if number == 3 else "")
        with django_assert_max_num_queries(8):
            response = admin_client_logged_in.get(CHOOSER_URL, {"for": "body"})
        entries = chooser_entries(response)
        assert len(entries) == 24
        assertContains(response, "Page 1 of 2")
        assertContains(response, "Width in the article")
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        entry = next(iter(entries.values()))
        assert set(entry) >= {"id", "alt", "caption", "credit", "thumbnail", "src", "width", "height"}
        assert len(chooser_entries(admin_client_logged_in.get(CHOOSER_URL, {"page": "2"}))) == 6
        found = chooser_entries(admin_client_logged_in.get(CHOOSER_URL, {"q": "Ann Lee"}))
        assert [entry["alt"] for entry in found.values()] == ["Picture 3"]

    @pytest.mark.parametrize("page", ["999", "x", "-1", "9" * 30])
    def test_forged_pages_and_purposes_answer_a_page(self, admin_client_logged_in, page):
        ImageFactory()
        response = admin_client_logged_in.get(CHOOSER_URL, {"page": page, "for": "<script>", "q": "\x00" * 3})
        assert response.status_code == 200

    def test_upload_new_in_the_chooser_chooses_it(self, admin_client_logged_in):
        """An image uploaded in the chooser is saved and handed to the form at once."""
        response = admin_client_logged_in.post(
            f"{CHOOSER_URL}?for=lead", {"files": jpeg(), "alt": "New quay", "credit": "Photo: Me"}
        )
        assert response.status_code == 200
        image = Image.objects.get()
        chosen = re.search(r'<script id="chooser-chosen" type="application/json">(.*?)</script>',
                           response.content.decode()).group(1)  # fmt: skip
        assert json.loads(chosen)["id"] == image.pk

    def test_a_bad_upload_in_the_chooser_says_why(self, admin_client_logged_in, limits):
        bad, message = bad_files()["svg"]
        response = admin_client_logged_in.post(CHOOSER_URL, {"files": bad, "alt": "Logo"})
        assertContains(response, message, status_code=400)
        assert not Image.objects.exists()

    def test_only_for_those_who_may_see_the_library(self, client, django_user_model):
        outsider = django_user_model.objects.create_user("out", "o@example.com", "pw", is_staff=True)
        client.force_login(outsider)
        assert client.get(CHOOSER_URL).status_code == 403


class TestLeadImageField:
    def test_the_article_form_shows_the_chosen_lead_image(self, admin_client_logged_in):
        """The lead-image field shows its image's thumbnail and alt text, and opens the chooser."""
        image = ImageFactory(alt="Flood on Harbour Street", size=(300, 200))
        article = ArticleFactory(lead_image=image)
        response = admin_client_logged_in.get(reverse("admin:articles_article_change", args=[article.pk]))
        assertContains(response, 'class="image-thumbnail"')
        assertContains(response, "Flood on Harbour Street")
        assertContains(response, f"{CHOOSER_URL}?for=lead")
        assertContains(response, "image-chooser.js")

    @pytest.mark.parametrize("value", ["abc", "99999", "9" * 40, "-3"])
    def test_a_forged_lead_image_is_a_form_error(self, admin_client_logged_in, value):
        from tests.html_forms import form_data

        article = ArticleFactory()
        url = reverse("admin:articles_article_change", args=[article.pk])
        data = form_data(admin_client_logged_in.get(url), "article_form")
        response = admin_client_logged_in.post(url, {**data, "lead_image": value})
        assert response.status_code == 200
        assertContains(response, "errorlist")
