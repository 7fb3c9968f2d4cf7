from django.urls import path

from . import views

app_name = "images"

# Mounted under MEDIA_URL + "renditions/" (newsroom/urls.py): the same path as the stored
# file, so a web server serving MEDIA_ROOT answers it once made and passes misses to Django.
urlpatterns = [
    path("<int:image_id>/<slug:key>/<str:spec>", views.rendition, name="rendition"),
]
