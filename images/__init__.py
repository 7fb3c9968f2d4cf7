"""
The image library: every picture uploaded once, described once, and shown in the size,
shape and format each page needs. Articles and authors point to it; it knows nothing of them.

Models (images.models)
    ``Image``: ``file`` (through Django's storage only), ``alt`` (required), ``caption``,
    ``credit``, ``focal_x``/``focal_y`` (0..1, what a crop keeps in view), and, measured on
    save: ``width``/``height`` (orientation applied), ``has_alpha``, ``content_hash``;
    ``uploaded_by``, ``uploaded_at``. Create one with ``Image(file=upload, alt=...)`` and
    ``save()``; any ModelForm on it validates the upload (``images.files.validate_image_file``).
    ``Rendition``: one stored size of an image (``spec``, ``file``, ``width``, ``height``,
    ``size``), unique per (image, spec).

Checking files (images.files)
    ``inspect_image(fileobj)`` -> ``ImageFacts`` or ``ValidationError`` (not an image,
    SVG, damaged, too many pixels); ``validate_upload_size`` (``IMAGE_MAX_UPLOAD_BYTES``).

Renditions (images.renditions)
    Specs: ``w640.webp``, ``crop-3x2-w480.jpeg`` (crops 3x2, 16x9, 4x3, 1x1; widths in
    ``WIDTHS``, or the image's own width; formats avif (when Pillow has it), webp, jpeg,
    png). ``rendition_url(image, Spec(...))`` needs no query; the URL (under
    MEDIA_URL/renditions/, ``images.views.rendition``) makes the file at its first request
    and is served as immutable. ``ensure_rendition(image, spec)`` makes or returns one now;
    ``share_rendition(image)`` is the 1200 px one for OpenGraph and feeds.

Markup (images.pictures, template tag library ``pictures``)
    ``{% picture image "lead" main=True %}`` -> <picture> with AVIF/WebP sources and a
    sized <img>; roles: lead, cover, card, author. ``thumbnail_html(image)`` for the admin.
"""
