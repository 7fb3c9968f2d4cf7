"""The image library in the admin: the list (thumbnails, search, filters), uploading several
files at once, the change form with its focal point, and the chooser other forms open."""

import re

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import capfirst
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_protect

from .chooser import PER_PAGE, chooser_entry
from .models import Image
from .pictures import thumbnail_html
from .uploads import MAX_FILES, ImageBatch
from .usage import uses_of, uses_of_images
from .widgets import focal_point_preview

# Control characters (a NUL, which PostgreSQL refuses in text) are no search words.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

PURPOSES = {"lead": "a lead image", "body": "a figure in the body", "photo": "a portrait"}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt", "caption", "credit", "size", "uploaded_at", "uploaded_by", "number"]
    list_display_links = ["thumbnail", "alt"]
    list_select_related = ["uploaded_by"]
    list_filter = [("uploaded_by", admin.RelatedOnlyFieldListFilter), "uploaded_at"]
    search_fields = ["alt", "caption", "credit"]
    search_help_text = "Searches the alt text, caption and credit."
    date_hierarchy = "uploaded_at"
    list_per_page = 40
    fields = ["file", "preview", "alt", "caption", "credit", "focal_x", "focal_y"]
    readonly_fields = ["preview"]

    class Media:
        js = ["js/image-focal-point.js"]
        css = {"all": ["css/admin-images.css"]}

    @admin.display(description="Image")
    def thumbnail(self, image):
        return thumbnail_html(image, width=160) or "—"

    @admin.display(description="Number", ordering="pk")
    def number(self, image):
        return image.pk

    @admin.display(description="Preview and focal point")
    def preview(self, image):
        return focal_point_preview(image)

    @admin.display(description="Size (pixels)")
    def size(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, _CONTROL_CHARACTERS.sub("", search_term))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # Where the image is used: shown on its page, and the reason a deletion is refused.

    def use_html(self, request, use):
        """“Lead image of the article <a>Headline</a> (Draft)”, linked where the editor may open it."""
        shown_by = use.shown_by
        opts = shown_by._meta
        name = str(shown_by)
        model_admin = self.admin_site._registry.get(type(shown_by))
        if model_admin and model_admin.has_view_or_change_permission(request, shown_by):
            try:
                url = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[shown_by.pk]
                )
                name = format_html('<a href="{}">{}</a>', url, name)
            except NoReverseMatch:
                pass
        return format_html(
            "{} of the {} {}{}",
            capfirst(use.role),
            opts.verbose_name,
            name,
            format_html(" ({})", use.note) if use.note else "",
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["image_uses"] = [self.use_html(request, use) for use in uses_of(obj)]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_deleted_objects(self, objs, request):
        """Django's list of what a deletion takes with it, and as "protected" (which refuses the
        deletion, in the delete page and the bulk action alike) every use of the images: a
        figure in a body is no foreign key, and would silently break."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        images = list(objs)
        uses = uses_of_images(images)
        if len(images) == 1 and uses:
            protected = [self.use_html(request, use) for use in uses[images[0].pk]]
        elif uses:
            protected = []
            for image in images:
                if image.pk in uses:
                    protected += [
                        format_html("Image {}: “{}”", image.pk, image),
                        [self.use_html(request, use) for use in uses[image.pk]],
                    ]
        return deleted, model_count, perms_needed, protected

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_or_the_unused, name, description)
        return actions

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="images_image_upload"),
            path("chooser/", self.admin_site.admin_view(self.chooser_view), name="images_image_chooser"),
        ] + super().get_urls()

    # Several at once

    @method_decorator(csrf_protect)
    def upload_view(self, request):
        """One form: pick many files, describe each, save them all (or, on any refusal, none)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        batch = None
        if request.method == "POST":
            batch = ImageBatch(request.FILES.getlist("files"), request.POST, uploaded_by=request.user)
            if batch.is_valid():
                saved = batch.save()
                self.message_user(
                    request,
                    f"{len(saved)} image{'s' if len(saved) != 1 else ''} added to the library.",
                    messages.SUCCESS,
                )
                return redirect("admin:images_image_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Upload images",
            "batch": batch,
            "max_files": MAX_FILES,
        }
        return TemplateResponse(
            request, "admin/images/image/upload.html", context, status=400 if batch else 200
        )

    # The chooser

    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csrf_protect)
    def chooser_view(self, request):
        """The library in a dialog: search, pages of thumbnails, and an upload form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        purpose = request.GET.get("for", "lead")
        purpose = purpose if purpose in PURPOSES else "lead"
        query = _CONTROL_CHARACTERS.sub("", request.GET.get("q", "")).strip()[:200]
        chosen = None
        batch = None
        if request.method == "POST":
            if not self.has_add_permission(request):
                raise PermissionDenied
            batch = ImageBatch(request.FILES.getlist("files")[:1], request.POST, uploaded_by=request.user)
            if batch.is_valid():
                chosen = chooser_entry(batch.save()[0])
        images = Image.objects.all()
        if query:
            images = images.search(query)
        page = Paginator(images, PER_PAGE).get_page(request.GET.get("page"))
        entries = [(image, chooser_entry(image)) for image in page.object_list]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Choose {PURPOSES[purpose]}",
            "is_popup": True,
            "purpose": purpose,
            "query": query,
            "page": page,
            "entries": entries,
            "page_entries": {str(image.pk): entry for image, entry in entries},
            "chosen": chosen,
            "batch": batch,
            "can_upload": self.has_add_permission(request),
            "chooser_url": reverse("admin:images_image_chooser"),
        }
        status = 400 if batch and not chosen else 200
        return TemplateResponse(request, "admin/images/image/chooser.html", context, status=status)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "upload_url": reverse("admin:images_image_upload") if self.has_add_permission(request) else "",
        }
        return super().changelist_view(request, extra_context)


def delete_selected_or_the_unused(modeladmin, request, queryset):
    """Django's "Delete selected", whose refusal (some images are in use) offers to delete the
    selected images nobody uses, so that one image in use does not hold up a clean-up."""
    response = delete_selected(modeladmin, request, queryset)
    context = getattr(response, "context_data", None)
    if context and context.get("protected"):
        used = uses_of_images(queryset)
        context["unused_selection"] = [image for image in queryset if image.pk not in used]
    return response


__all__ = ["ImageAdmin"]
