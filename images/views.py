"""Serving renditions: made at the first request, then served from storage for a year."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from .models import Image
from .renditions import RenditionBusy, SpecError, ensure_rendition, parse_spec, rendition_url
from .usage import shown_to_readers

# The name holds the file's hash: a changed picture gets a new URL, so this one never changes.
IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def rendition(request, image_id, key, spec):
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.can_render:
        raise Http404("No such image.")
    try:
        parsed = parse_spec(image, spec)
    except SpecError as error:
        raise Http404(str(error)) from None
    if key != image.rendition_key:
        # A page cached before the picture (or its focal point) changed: send it to the new one.
        # Only for a picture readers can see: the key is what keeps the others (an embargoed
        # story's photo) from being fetched by walking the numbers.
        if not shown_to_readers(image):
            raise Http404("No such image.")
        return redirect(rendition_url(image, parsed))
    try:
        made = ensure_rendition(image, parsed)
    except RenditionBusy:
        response = HttpResponse("This image is being prepared; try again in a moment.", status=503)
        response["Retry-After"] = "2"
        return response
    except OSError:
        raise Http404("The original file of this image is missing.") from None
    response = FileResponse(made.file.open("rb"), content_type=parsed.mime_type)
    response["Cache-Control"] = IMMUTABLE
    response["X-Content-Type-Options"] = "nosniff"
    return response
