import threading

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, transaction
from django.test.testcases import LiveServerThread


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """Django's live server, handling one request at a time (connections stay concurrent).

    On the in-memory SQLite test database, every thread of the live server uses the test's
    one connection; two requests writing at once (a page's thumbnails, each rendition made
    at its first request) then break it ("cannot open savepoint"), and every later test
    with it; so does a test's own query while a request runs. A file database, as
    production has, gives each thread its own connection.
    """

    # Reentrant: the request's own queries take it again (see the fixture below).
    handling = threading.RLock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self.handling:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


def _after_the_live_servers_request(execute, sql, params, many, context):
    # The test's own queries wait until the live server has answered its current request.
    with OneRequestAtATimeServer.handling:
        return execute(sql, params, many, context)


def _transactions_between_the_live_servers_requests(patch):
    # Django keeps a transaction's state on the connection, which the live server's
    # threads share here: a request run between two statements of the test's transaction
    # would run inside it. The flush that ends a browser test is one such transaction,
    # and the browser may still be loading a page's images then; so the test thread's
    # transactions, like its single queries, take turns with the live server's requests.
    test_thread = threading.get_ident()
    enter, exit_ = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def enter_in_turn(atomic):
        if threading.get_ident() != test_thread:
            return enter(atomic)
        OneRequestAtATimeServer.handling.acquire()
        try:
            return enter(atomic)
        except BaseException:
            OneRequestAtATimeServer.handling.release()
            raise

    def exit_in_turn(atomic, exc_type, exc_value, traceback):
        if threading.get_ident() != test_thread:
            return exit_(atomic, exc_type, exc_value, traceback)
        try:
            return exit_(atomic, exc_type, exc_value, traceback)
        finally:
            OneRequestAtATimeServer.handling.release()

    patch.setattr(transaction.Atomic, "__enter__", enter_in_turn)
    patch.setattr(transaction.Atomic, "__exit__", exit_in_turn)


@pytest.fixture(scope="session", autouse=True)
def live_server_on_in_memory_sqlite(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if not in_memory:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", OneRequestAtATimeServer)
        _transactions_between_the_live_servers_requests(patch)
        connection.execute_wrappers.insert(0, _after_the_live_servers_request)
        yield
        connection.execute_wrappers.remove(_after_the_live_servers_request)


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

    from articles.editorial.roles import sync_groups

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
