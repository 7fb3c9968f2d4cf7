"""Gunicorn's settings for Newsroom.

Start (from anywhere, with the project's virtualenv):
    .venv/bin/gunicorn -c deploy/gunicorn.conf.py
Graceful reload after a deployment (new code, no dropped request):
    kill -HUP <master pid>        (systemctl reload newsroom, with deploy/newsroom.service)

Each value can be changed from the environment (or .env) without editing this file.
"""

import multiprocessing
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsroom.env import load_env_file  # noqa: E402  (needs the project on sys.path)

# The same .env Django reads, so GUNICORN_BIND and WEB_CONCURRENCY can live there too.
load_env_file(ROOT / ".env")

chdir = str(ROOT)
wsgi_app = "newsroom.wsgi:application"
# Behind the reverse proxy (deploy/Caddyfile, deploy/nginx.conf): never expose this port.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers: one request at a time each, 2 per CPU plus one (gunicorn's advice).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request taking longer than this is killed (its worker restarted) and logged.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On reload or stop, the time a worker has to finish the requests it holds.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Keep-alive with the reverse proxy on the same machine.
keepalive = 5
# Recycle each worker after a while, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200

# Both logs to stdout/stderr: systemd's journal or the container runtime keep them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Time, the connection's address and X-Forwarded-For (the client, behind the proxy), request,
# status, size, duration, and the request id Django's log lines carry too (X-Request-ID).
access_log_format = (
    '%(t)s %(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" '
    "request_id=%({x-request-id}o)s"
)
logger_class = "newsroom.access_log.HealthCheckQuietLogger"

# Proxies whose X-Forwarded-* headers gunicorn believes: the reverse proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "newsroom"
# Gunicorn 27's control socket (in the user's home) is not used: reload with HUP.
control_socket_disable = True
