"""Admin login throttling (django-axes): repeated failures lock an account, or an address, for a while."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

LOGIN_URL = "/admin/login/"


def log_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        headers=headers,
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def test_right_password_logs_in(client, superuser):
    """With no failures before it, the right password works (the throttle stays out of the way)."""
    assert logged_in(log_in(client, "chief", "pw"))


def test_failures_below_the_limit_do_not_lock(client, superuser, limit):
    """A few typos, then the right password: logged in, and the count starts again."""
    for _ in range(limit - 1):
        assert log_in(client, "chief", "wrong").status_code == 200
    assert logged_in(log_in(client, "chief", "pw"))


def test_account_is_locked_after_the_limit_even_for_the_right_password(client, superuser, limit, caplog):
    """After the limit, even the right password is refused, with a page that says why; it is logged."""
    for _ in range(limit):
        log_in(client, "chief", "wrong")
    response = log_in(client, "chief", "pw")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "Django administration" not in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "AXES: Locking out" in caplog.text
    assert "chief" in caplog.text


def test_account_is_locked_whatever_address_the_attempts_come_from(client, superuser, limit):
    """Guessing one account's password from many addresses still locks that account."""
    for number in range(limit):
        log_in(client, "chief", "wrong", address=f"198.51.100.{number}")
    assert log_in(client, "chief", "pw", address="192.0.2.99").status_code == 429


def test_an_address_guessing_many_accounts_is_locked(client, superuser, limit, django_user_model):
    """One address trying many user names is locked out, for real accounts too."""
    for number in range(limit):
        log_in(client, f"guess{number}", "wrong", address="198.51.100.66")
    assert log_in(client, "chief", "pw", address="198.51.100.66").status_code == 429
    assert logged_in(log_in(client, "chief", "pw", address="192.0.2.1"))


def test_lock_ends_after_the_cool_off(client, superuser, limit, settings, time_machine):
    """The lock lasts LOGIN_LOCKOUT_MINUTES after the last attempt; then the right password works."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    for _ in range(limit):
        log_in(client, "chief", "wrong")
    time_machine.move_to(start + timedelta(minutes=5), tick=False)
    assert log_in(client, "chief", "pw").status_code == 429
    # That refused attempt started the wait again.
    time_machine.move_to(start + timedelta(minutes=5) + settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert logged_in(log_in(client, "chief", "pw"))


@pytest.mark.parametrize("command", [["axes_reset_username", "chief"], ["axes_reset"]])
def test_unlock_command_lets_the_right_password_in(client, superuser, limit, command):
    """`manage.py axes_reset_username NAME` (or axes_reset, for everyone) unlocks at once."""
    for _ in range(limit):
        log_in(client, "chief", "wrong")
    assert log_in(client, "chief", "pw").status_code == 429
    call_command(*command, stdout=None)
    assert logged_in(log_in(client, "chief", "pw"))


def test_behind_the_proxy_an_invented_forwarded_address_does_not_escape_the_lock(
    client, superuser, limit, settings
):
    """With one trusted proxy, only the address it saw counts; the client's own X-Forwarded-For does not."""
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(limit):
        log_in(
            client,
            f"guess{number}",
            "wrong",
            address="127.0.0.1",
            x_forwarded_for=f"10.9.9.{number}, 198.51.100.8",
        )
    response = log_in(client, "chief", "pw", address="127.0.0.1", x_forwarded_for="10.1.1.1, 198.51.100.8")
    assert response.status_code == 429
    # Another reader behind the same proxy is not locked out with them.
    assert logged_in(log_in(client, "chief", "pw", address="127.0.0.1", x_forwarded_for="192.0.2.44"))


def test_a_username_too_long_for_any_account_is_a_failed_login(client, superuser):
    """100,000 characters typed as the username: the form says the login failed (no server error on
    PostgreSQL, whose column for the throttle's records holds 255), and the attempt still counts."""
    from axes.models import AccessAttempt

    response = log_in(client, "x" * 100_000, "wrong")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    response = log_in(client, "x" * 100_000, "wrong")
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username="x" * 255).exists()
