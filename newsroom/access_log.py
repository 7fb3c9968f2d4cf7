"""Gunicorn's access log without the load balancer's health checks (deploy/gunicorn.conf.py)."""

from gunicorn.glogging import Logger

HEALTH_CHECK_PATH = "/healthz"


class HealthCheckQuietLogger(Logger):
    """Gunicorn's logger, minus the access lines of successful health checks.

    A load balancer asks every few seconds; thousands of identical lines a day would bury
    the readers' requests. A failing check (503) is still logged.
    """

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") == HEALTH_CHECK_PATH and resp.status_code == 200:
            return
        super().access(resp, req, environ, request_time)
