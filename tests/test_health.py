"""/healthz: what a load balancer polls to know whether this app server can serve readers."""

import pytest
from django.db import connection
from django.test import override_settings


def test_healthy_app_answers_ok_and_is_never_cached(client, db):
    """Database and cache reachable: 200 "ok", marked no-store for every cache on the way."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_unreachable_database_is_503_without_details(client, db, monkeypatch):
    """A database that does not answer gives 503, and the answer names nothing of it."""

    def refuse(*args, **kwargs):
        raise connection.features.connection.Database.OperationalError(
            'connection to server at "10.0.0.5", port 5432 failed: password authentication failed'
        )

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "no-store" in response["Cache-Control"]


def test_unreachable_cache_is_503_without_details(client, db, caplog):
    """Redis down gives 503; the reason goes to the log, not to the caller."""
    redis_down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=redis_down):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"redis" not in response.content.lower()
    assert "Health check failed" in caplog.text


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_and_head(client, db, method):
    """A health check reads; anything else is refused."""
    assert getattr(client, method)("/healthz").status_code == 405
