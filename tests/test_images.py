"""The image library: upload checks, renditions (sizes, formats, metadata, locking) and <picture> markup."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from PIL import features
from pytest_django.asserts import assertContains

from images import renditions
from images.models import Image, Rendition
from images.pictures import picture_html
from images.renditions import RenditionBusy, Spec, ensure_rendition, parse_spec, rendition_url
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, image_bytes

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:images_image_add")


def upload(content, name="picture.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_image(client, file, **fields):
    data = {
        "alt": "A harbour wall",
        "caption": "",
        "credit": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }
    return client.post(ADD_URL, {**data, "file": file})


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, b"".join(response.streaming_content)


def photo_with_camera_data(size=(60, 40), orientation=6):
    """A JPEG as a phone takes it: turned by its EXIF orientation, with a GPS position and XMP."""
    picture = PILImage.new("RGB", size, (200, 40, 40))
    picture.paste((20, 40, 200), (0, 0, size[0] // 2, size[1]))  # left half blue, to see the turn
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    picture.save(buffer, "JPEG", exif=exif.tobytes(), xmp=xmp)
    return buffer.getvalue()


class TestUploadChecks:
    """Every bad upload gets a form error that says what is wrong; nothing is a server error."""

    @pytest.fixture(autouse=True)
    def logged_in(self, admin_client_logged_in):
        self.client = admin_client_logged_in

    def refused(self, file, message):
        response = post_image(self.client, file)
        assert response.status_code == 200
        assertContains(response, message)
        assert not Image.objects.exists()

    def test_a_good_photo_is_kept_with_its_facts_and_uploader(self, superuser):
        response = post_image(self.client, upload(image_bytes((300, 200), "JPEG")), credit="Photo: J. Doe")
        assert response.status_code == 302
        image = Image.objects.get()
        assert (image.width, image.height, image.has_alpha) == (300, 200, False)
        assert len(image.content_hash) == 64 and image.uploaded_by == superuser
        assert image.file.name.startswith("images/")

    def test_alt_text_is_required(self):
        response = post_image(self.client, upload(image_bytes(image_format="JPEG")), alt="")
        assertContains(response, "This field is required")
        assert not Image.objects.exists()

    def test_not_an_image(self):
        self.refused(upload(b"%PDF-1.4 just a document", "notes.jpg"), "not an image Newsroom can read")

    def test_a_truncated_image(self):
        whole = image_bytes((400, 300), "JPEG", colour=(10, 200, 30))
        self.refused(upload(whole[: len(whole) // 2]), "damaged or incomplete")

    def test_svg_is_refused(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        self.refused(upload(svg, "logo.svg", "image/svg+xml"), "SVG files are not accepted")

    @pytest.mark.parametrize("pixels", [1000, 2000], ids=["error", "warning"])  # the picture has 2,304
    def test_a_decompression_bomb_is_refused(self, monkeypatch, pixels):
        """Above MAX_IMAGE_PIXELS Pillow warns, above twice that it raises: both are refused."""
        monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", pixels)
        self.refused(upload(image_bytes((64, 36), "PNG"), "huge.png", "image/png"), "too many pixels")

    def test_a_file_over_the_size_limit(self, settings):
        settings.IMAGE_MAX_UPLOAD_BYTES = 1000
        self.refused(
            upload(image_bytes((300, 300), "PNG", colour=None) + b"\0" * 2000), "images may be at most"
        )

    def test_an_animated_gif_is_kept_and_shown_by_its_first_frame(self, client):
        frames = [PILImage.new("RGB", (40, 30), colour) for colour in ((255, 0, 0), (0, 0, 255))]
        buffer = io.BytesIO()
        frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
        assert post_image(self.client, upload(buffer.getvalue(), "wave.gif", "image/gif")).status_code == 302
        image = Image.objects.get()
        _, content = served(client, rendition_url(image, "w40.webp"))
        with PILImage.open(io.BytesIO(content)) as rendition:
            assert not getattr(rendition, "is_animated", False)
            assert rendition.convert("RGB").getpixel((20, 15))[0] > 200  # red: the first frame
        assertContains(self.client.get(ADD_URL), "an animated GIF is kept whole")

    def test_the_library_list_shows_thumbnails_and_searches_descriptions(self):
        ImageFactory(alt="Ferry at the quay", credit="Photo: Ann Lee")
        ImageFactory(alt="Council chamber")
        response = self.client.get(reverse("admin:images_image_changelist"), {"q": "Ann Lee"})
        assertContains(response, "Ferry at the quay")
        assertContains(response, 'class="image-thumbnail"')
        assert "Council chamber" not in response.content.decode()


class TestRenditions:
    def test_orientation_is_applied_and_camera_data_is_stripped(self, client):
        """A reporter's source must not be located from a photo: no EXIF, GPS or XMP in any rendition."""
        image = Image(file=upload(photo_with_camera_data()), alt="A turned photo")
        image.save()
        assert (image.width, image.height) == (40, 60)  # turned upright
        for spec in ["w40.jpeg", "w40.webp", "crop-1x1-w40.jpeg"] + (
            ["w40.avif"] if features.check("avif") else []
        ):
            _, content = served(client, rendition_url(image, spec))
            with PILImage.open(io.BytesIO(content)) as rendition:
                assert rendition.width == 40
                assert not rendition.getexif(), spec
                assert "exif" not in rendition.info and "xmp" not in rendition.info, spec
                assert b"PhoneMaker" not in content and b"xmpmeta" not in content
        with PILImage.open(io.BytesIO(served(client, rendition_url(image, "w40.jpeg"))[1])) as upright:
            assert upright.height == 60
            # Orientation 6 turns the picture clockwise: the blue left half is now on top.
            red, _, blue = upright.convert("RGB").getpixel((20, 5))
            assert blue > red

    def test_served_with_its_type_size_and_for_ever_caching(self, client):
        image = ImageFactory(size=(800, 600))
        response, content = served(client, rendition_url(image, "crop-3x2-w480.webp"))
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        with PILImage.open(io.BytesIO(content)) as rendition:
            assert rendition.format == "WEBP" and rendition.size == (480, 320)
        made = Rendition.objects.get()
        assert (made.spec, made.width, made.height, made.size) == (
            "crop-3x2-w480.webp",
            480,
            320,
            len(content),
        )
        # Stored under its own name, through the storage; a second request makes nothing new.
        assert made.file.name == f"renditions/{image.pk}/{image.rendition_key}/crop-3x2-w480.webp"
        served(client, rendition_url(image, "crop-3x2-w480.webp"))
        assert Rendition.objects.count() == 1

    def test_transparent_images_fall_back_to_png(self, client):
        image = ImageFactory(
            file=upload(image_bytes((50, 50), "PNG", (0, 0, 0, 0), "RGBA"), "t.png", "image/png")
        )
        assert image.has_alpha
        html = picture_html(image, "lead")
        assert "w50.png" in html and ".jpeg" not in html
        _, content = served(client, rendition_url(image, "w50.webp"))
        with PILImage.open(io.BytesIO(content)) as rendition:
            assert rendition.mode == "RGBA"

    @pytest.mark.parametrize(
        "spec", ["w2048.jpeg", "w333.jpeg", "w640.gif", "crop-7x5-w320.jpeg", "w640.jpeg.exe", "../w640.jpeg"]
    )
    def test_no_rendition_wider_than_the_original_or_outside_the_list(self, client, spec):
        image = ImageFactory(size=(800, 600))
        url = rendition_url(image, "w640.jpeg").replace("w640.jpeg", spec)
        assert client.get(url).status_code == 404
        assert not Rendition.objects.exists()

    def test_the_focal_point_decides_the_crop(self, client):
        picture = PILImage.new("RGB", (300, 100), (0, 0, 255))
        picture.paste((255, 0, 0), (200, 0, 300, 100))  # the right third is red
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        image = Image(
            file=upload(buffer.getvalue(), "p.png", "image/png"), alt="Red on the right", focal_x=0.9
        )
        image.save()
        _, content = served(client, rendition_url(image, "crop-1x1-w96.png"))
        with PILImage.open(io.BytesIO(content)) as square:
            assert square.size == (96, 96)
            assert square.convert("RGB").getpixel((48, 48))[0] > 200

    def test_a_changed_image_gets_new_names_and_old_urls_follow(
        self, client, django_capture_on_commit_callbacks
    ):
        image = ImageFactory(size=(800, 600))
        ArticleFactory(lead_image=image)  # shown to readers
        old_url = rendition_url(image, "crop-3x2-w320.jpeg")
        served(client, old_url)
        old_file = Rendition.objects.get().file.name
        image.focal_x = 0.1
        with django_capture_on_commit_callbacks(execute=True):
            image.save()
        assert not Rendition.objects.exists()
        assert not image.file.storage.exists(old_file)
        response = client.get(old_url)
        assert response.status_code == 302 and response["Location"] == rendition_url(
            image, "crop-3x2-w320.jpeg"
        )

    def test_an_embargoed_picture_cannot_be_found_by_its_number(self, client):
        """Without its key (a hash of the picture), no rendition of an image only a draft shows."""
        image = ImageFactory(size=(800, 600))
        draft = ArticleFactory(draft=True, lead_image=image)
        guessed = rendition_url(image, "w320.jpeg").replace(image.rendition_key, "0" * 16)
        assert client.get(guessed).status_code == 404
        assert client.get(rendition_url(image, "w320.jpeg")).status_code == 200  # the draft's preview
        draft.status, draft.published_at = draft.Status.PUBLISHED, timezone.now()
        draft.save()
        assert client.get(guessed).status_code == 302  # once public, an old key follows

    def test_a_rendition_being_made_elsewhere_is_waited_for_not_made_twice(self, client, monkeypatch):
        """Two workers asking for the same new rendition: the second does not make it too."""
        image = ImageFactory(size=(800, 600))
        Rendition.objects.create(image=image, spec="w320.jpeg")  # another worker's claim
        monkeypatch.setattr(renditions, "WAIT_FOR_OTHER_WORKER", 0)
        with pytest.raises(RenditionBusy):
            ensure_rendition(image, parse_spec(image, "w320.jpeg"))
        response = client.get(rendition_url(image, "w320.jpeg"))
        assert response.status_code == 503 and response["Retry-After"]

    def test_a_claim_left_by_a_dead_worker_is_taken_over(self):
        image = ImageFactory(size=(800, 600))
        claim = Rendition.objects.create(image=image, spec="w320.jpeg")
        Rendition.objects.filter(pk=claim.pk).update(claimed_at=timezone.now() - timedelta(minutes=10))
        made = ensure_rendition(image, parse_spec(image, "w320.jpeg"))
        assert made.pk == claim.pk and made.file and made.width == 320

    def test_a_missing_original_is_a_404(self, client):
        image = ImageFactory(size=(800, 600))
        image.file.storage.delete(image.file.name)
        assert client.get(rendition_url(image, "w320.jpeg")).status_code == 404
        assert not Rendition.objects.exists()


class TestPictureMarkup:
    def test_the_main_image_is_fetched_first_the_others_lazily(self):
        image = ImageFactory(size=(1000, 500), alt="Flood on “Harbour” Street")
        main = picture_html(image, "lead", main=True)
        assert 'fetchpriority="high"' in main and "loading=" not in main and "decoding" not in main
        card = picture_html(image, "card")
        assert 'loading="lazy"' in card and 'decoding="async"' in card and "fetchpriority" not in card
        assert 'alt="Flood on “Harbour” Street"' in main

    def test_sizes_widths_and_formats(self):
        image = ImageFactory(size=(1000, 500))
        html = picture_html(image, "lead", main=True)
        sources = re.findall(r'<source type="([^"]+)" srcset="([^"]+)"', html)
        expected_types = (["image/avif"] if features.check("avif") else []) + ["image/webp"]
        assert [kind for kind, _ in sources] == expected_types
        widths = [int(w) for w in re.findall(r" (\d+)w", sources[-1][1])]
        assert widths == [320, 480, 640, 960, 1000]  # never wider than the original, which is offered
        img = re.search(r"<img [^>]+>", html)[0]
        assert 'width="960" height="480"' in img and 'sizes="' in img and "w960.jpeg" in img

    def test_a_card_is_cropped_to_three_by_two(self):
        html = picture_html(ImageFactory(size=(1000, 500)), "card")
        assert 'width="320" height="213"' in html and "crop-3x2-w480.webp 480w" in html

    def test_an_unmeasured_image_shows_nothing(self):
        image = ImageFactory()
        Image.objects.filter(pk=image.pk).update(width=0)
        image.refresh_from_db()
        assert picture_html(image, "lead") == ""
        assert picture_html(None, "lead") == ""


class TestReaderPages:
    @pytest.fixture
    def story(self):
        author = AuthorFactory(name="Maria Lopez", slug="maria-lopez", photo=ImageFactory(size=(400, 400)))
        neighbour = ArticleFactory(title="Ferry returns", lead_image=ImageFactory(size=(900, 600)))
        return ArticleFactory(
            title="The tide is coming",
            section=neighbour.section,
            authors=[author],
            tags=["Tides"],
            related=[neighbour],
            lead_image=ImageFactory(
                size=(1600, 900), alt="A cracked sea wall", caption="At noon.", credit="Photo: J"
            ),
        )

    def test_the_article_page_shows_its_lead_image_first_and_thumbnails_lazily(self, client, story):
        page = client.get(story.get_absolute_url()).content.decode()
        lead = re.search(r'<img class="article__image"[^>]+>', page)[0]
        assert 'fetchpriority="high"' in lead and 'alt="A cracked sea wall"' in lead and "loading" not in lead
        assert "At noon." in page and "Photo: J" in page
        for thumbnail in re.findall(r'<img class="(?:related|more-in-section)__thumbnail"[^>]+>', page):
            assert 'loading="lazy"' in thumbnail and "width=" in thumbnail and "srcset=" in thumbnail
        assert 'class="related__thumbnail"' in page
        # Every image on the page is sized: no layout shift.
        for img in re.findall(r"<img [^>]+>", page):
            assert "width=" in img and "height=" in img, img

    @pytest.mark.parametrize("where", ["home", "section", "tag", "author"])
    def test_cards_show_thumbnails(self, client, story, where):
        url = {
            "home": "/",
            "section": story.section.get_absolute_url(),
            "tag": reverse("articles:tag", kwargs={"tag_slug": "tides"}),
            "author": reverse("articles:author", kwargs={"author_slug": "maria-lopez"}),
        }[where]
        page = client.get(url).content.decode()
        assert re.search(r'<img class="article-card__(thumbnail|image)"[^>]+srcset=', page)

    def test_the_author_page_shows_the_portrait(self, client, story):
        page = client.get(reverse("articles:author", kwargs={"author_slug": "maria-lopez"})).content.decode()
        portrait = re.search(r'<img class="author-header__photo"[^>]+>', page)[0]
        assert "crop-1x1-w192" in portrait and 'width="192" height="192"' in portrait

    def test_a_changed_description_shows_at_once_on_cached_pages(
        self, client, story, django_capture_on_commit_callbacks
    ):
        """The page cache forgets the pages showing an image whose alt text or caption changed."""
        assert "At noon." in client.get(story.get_absolute_url()).content.decode()
        image = story.lead_image
        image.caption = "At high water."
        with django_capture_on_commit_callbacks(execute=True):
            image.save()
        assert "At high water." in client.get(story.get_absolute_url()).content.decode()

    def test_share_tags_use_the_1200_pixel_rendition(self, client, story):
        page = client.get(story.get_absolute_url()).content.decode()
        expected = rendition_url(story.lead_image, Spec(1200, "jpeg"))
        assert f'<meta property="og:image" content="http://testserver{expected}">' in page
        assert '<meta property="og:image:width" content="1200">' in page
        assert '<meta property="og:image:height" content="675">' in page


def test_prepare_renditions_makes_what_pages_ask_for_once():
    """The warm-up command makes each rendition a page or a share may ask for, and nothing twice."""
    from django.core.management import call_command

    image = ImageFactory(size=(500, 400))
    out = io.StringIO()
    call_command("prepare_renditions", "--roles", "card,author", stdout=out)
    specs = set(Rendition.objects.values_list("spec", flat=True))
    assert {"crop-3x2-w160.webp", "crop-3x2-w480.jpeg", "crop-1x1-w192.webp", "w500.jpeg"} <= specs
    assert all(rendition.file for rendition in Rendition.objects.all())
    html = picture_html(image, "card") + picture_html(image, "author")
    assert set(re.findall(r"/renditions/\d+/\w+/([^ \"]+)", html)) <= specs
    call_command("prepare_renditions", "--roles", "card,author", stdout=io.StringIO())
    assert Rendition.objects.count() == len(specs)
