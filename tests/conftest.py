import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fast_and_isolated(settings, tmp_path):
    """Fast password hashing; uploads and the page cache in a temporary folder per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
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


def _member_of(group_name, username, django_user_model):
    from django.contrib.auth.models import Group

    from articles.roles import sync_groups

    # A transactional test earlier in the run may have flushed the migration's groups.
    sync_groups()
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def writer(db, django_user_model):
    """A member of the Writers group (made by the data migration)."""
    return _member_of("Writers", "wendy", django_user_model)


@pytest.fixture
def other_writer(db, django_user_model):
    return _member_of("Writers", "walter", django_user_model)


@pytest.fixture
def editor(db, django_user_model):
    """A member of the Editors group (made by the data migration)."""
    return _member_of("Editors", "edna", django_user_model)


@pytest.fixture
def second_editor(db, django_user_model):
    return _member_of("Editors", "eric", django_user_model)
