import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fast_and_isolated(settings, tmp_path):
    """Fast password hashing, uploads in a temporary folder, and an empty cache per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.com", "pw")


@pytest.fixture
def admin_client_logged_in(client, superuser):
    client.force_login(superuser)
    return client
