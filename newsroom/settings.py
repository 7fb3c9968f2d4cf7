"""
Settings for Newsroom, read from the environment.

Local use needs no configuration: SQLite, an in-process cache and DEBUG on.
Production is DEBUG=false, and then SECRET_KEY and ALLOWED_HOSTS must be set
or the process refuses to start. See .env.example for every variable; a .env
file beside manage.py is read if present, and the real environment wins over it.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

from articles.body.editor import prose_editor_extensions
from articles.body.embeds import EMBED_FRAME_HOSTS
from newsroom.env import load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
load_env_file(BASE_DIR / ".env")


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


# With nothing configured, this is a developer's machine and DEBUG is on. Once the
# environment names the site's hosts, it is a deployment: DEBUG is off unless asked for.
DEBUG = env_bool("DEBUG", "ALLOWED_HOSTS" not in os.environ)

_DEV_SECRET_KEY = "django-insecure-newsroom-local-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or _DEV_SECRET_KEY
# Earlier keys, newest first, still accepted for sessions, password resets and signed
# preview links, so a key can be rotated without logging everyone out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

if not DEBUG:
    if (
        SECRET_KEY == _DEV_SECRET_KEY
        or len(SECRET_KEY) < 32
        or "change-me" in SECRET_KEY
        or SECRET_KEY.startswith("django-insecure")
    ):
        raise ImproperlyConfigured(
            "DEBUG is off but SECRET_KEY is missing or too short (at least 32 characters). "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DEBUG is off but ALLOWED_HOSTS is empty or '*'. Set it to the site's host names, "
            "comma-separated, for example ALLOWED_HOSTS=news.example.com"
        )

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "django_prose_editor",
    "csp",
    "axes",
    "images",
    "articles",
    "portability",
    "httpcache",
    "importers",
]

MIDDLEWARE = [
    # Outermost: sees the finished response, so a HEAD answer loses its body last.
    "newsroom.middleware.HeadWithoutBodyMiddleware",
    "log_request_id.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which serves static files already compressed, and above
    # everything that writes a body.
    "newsroom.middleware.ReaderGZipMiddleware",
    # ETag on every cacheable GET, and 304 Not Modified for a matching conditional request.
    # Below gzip, as Django advises: the ETag is that of the uncompressed page, which gzip's
    # random padding would otherwise change on every response.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Below the views' other middleware, so that it sees each response as the view (or the
    # redirects below) made it: Cache-Control and surrogate keys. Axes, lower still, only
    # replaces a locked-out login's answer, which this then marks private like the admin.
    "httpcache.policy.CachePolicyMiddleware",
    # Addresses of an imported site (/?p=123, /2013/01/hello/) answer 301 to their new
    # place; above this, its redirects get a bounded lifetime like any other 301.
    "importers.middleware.LegacyRedirectMiddleware",
    # Last: it answers a locked-out login attempt instead of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.reader.context_processors.site",
            ],
            "libraries": {"csp_media": "newsroom.templatetags"},
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the single-machine default: WAL lets readers work while an editor saves.
    # Connections stay open like PostgreSQL's (DB_CONN_MAX_AGE): opening one costs a file
    # open and the PRAGMAs below on every request. Safe: each worker thread has its own.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    # Without Redis, a cache on disk: every process on this machine (gunicorn workers,
    # manage.py commands) shares it, so publishing from any of them invalidates pages for all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

# How long a reader page may be served from the cache. A change readers can see
# invalidates the pages showing it at once (articles/pagecache/), so this bounds
# how late a new article joins the related and "More in" blocks of other articles'
# pages, and things the cache cannot see (for example a changed template).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# How long an article's page may be served from the cache. Longer: every change to what
# it shows invalidates it at once, and "More in <section>" under it is refreshed apart
# (a live region), so this bounds only how late a newly published article joins the
# related suggestions of older ones. A day keeps the archive's long tail cached.
ARTICLE_PAGE_CACHE_SECONDS = int(os.environ.get("ARTICLE_PAGE_CACHE_SECONDS", "86400"))
# Fresh cached pages are answered before Django's request handling (articles/pagecache/front.py,
# in newsroom/wsgi.py): a hit costs about a quarter as much. Off: every request goes through Django.
PAGE_CACHE_FRONT = env_bool("PAGE_CACHE_FRONT", True)
# How many of the pages it answered last each worker keeps in memory (about 20 KB each):
# the front then reads only the versions of what they show, not the page.
PAGE_CACHE_FRONT_PAGES = int(os.environ.get("PAGE_CACHE_FRONT_PAGES", "1000"))
# The version being deployed (a tag or a commit). Cached pages and their parts are kept
# per release, so that the first requests after a deploy build them with its templates.
RELEASE = os.environ.get("RELEASE", "").strip()

# HTTP caching by browsers and shared caches (Varnish, a CDN): httpcache/policy.py.
# Seconds a browser keeps a reader page, and a shared cache (s-maxage). With purging
# set up below, the shared lifetime can be long: changes purge what they touch.
HTTP_BROWSER_MAX_AGE = int(os.environ.get("HTTP_BROWSER_MAX_AGE", "60"))
HTTP_SHARED_MAX_AGE = int(os.environ.get("HTTP_SHARED_MAX_AGE", "600"))
HTTP_STALE_WHILE_REVALIDATE = int(os.environ.get("HTTP_STALE_WHILE_REVALIDATE", "60"))
HTTP_STALE_IF_ERROR = int(os.environ.get("HTTP_STALE_IF_ERROR", "86400"))
# 404 and 410 pages, and permanent redirects: short, so a republished article shows soon.
HTTP_GONE_MAX_AGE = int(os.environ.get("HTTP_GONE_MAX_AGE", "60"))
HTTP_REDIRECT_MAX_AGE = int(os.environ.get("HTTP_REDIRECT_MAX_AGE", "3600"))
HTTP_CACHE_PRIVATE_PREFIXES = ("/admin/",)
# Purging a shared cache by key after each change (Varnish: deploy/varnish/newsroom.vcl).
HTTP_CACHE_PURGE_URLS = env_list("HTTP_CACHE_PURGE_URLS")
HTTP_CACHE_PURGE_BACKEND = os.environ.get("HTTP_CACHE_PURGE_BACKEND") or (
    "httpcache.purge.VarnishPurger" if HTTP_CACHE_PURGE_URLS else "httpcache.purge.NoPurger"
)

# How many articles the "Related Articles" block shows: the editor's picks, then suggestions.
RELATED_ARTICLES_COUNT = int(os.environ.get("RELATED_ARTICLES_COUNT", "4"))
# How many of the latest articles of the same section "More in <section>" lists.
MORE_IN_SECTION_COUNT = int(os.environ.get("MORE_IN_SECTION_COUNT", "5"))

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# One style of dates on the reader site and in the admin: british ("2 December 2026, 14:05"),
# american ("December 2, 2026, 2:05 p.m.") or iso ("2026-12-02 14:05"). newsroom/formats/ holds them.
DATE_STYLE = os.environ.get("DATE_STYLE", "british").strip().lower() or "british"
if DATE_STYLE not in {"british", "american", "iso"}:
    raise ImproperlyConfigured(f"DATE_STYLE must be british, american or iso, not {DATE_STYLE!r}.")
FORMAT_MODULE_PATH = ["newsroom.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site's root by WhiteNoise: /favicon.ico, for the pages without
# HTML (feeds, sitemaps) and the tools that ask for it whatever the page says.
WHITENOISE_ROOT = BASE_DIR / "public"

# The article body's editor extensions beyond django-prose-editor's own (articles/body/).
DJANGO_PROSE_EDITOR_EXTENSIONS = prose_editor_extensions(static_lazy("js/body-editor.js"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded media is served by Django only when asked to; behind a real web
# server, let that server serve MEDIA_ROOT instead.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# The image library (images/): the largest upload accepted, in bytes, and the most pixels a
# picture may have before it is refused as a possible decompression bomb.
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 50_000_000))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "admin:login"

TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION", "Independent reporting on the city, the country and the world."
)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # HSTS: browsers refuse plain HTTP to the site for this long (one year by default).
    # Start with a few minutes (SECURE_HSTS_SECONDS=300) on a new host; see README.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Preloading is a one-way decision made by submitting the domain to the browsers'
# preload list, not a setting to turn on by default: the check's reminder is silenced
# and SECURE_HSTS_PRELOAD says what was decided.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# E-mail: the console (the log) unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
# Workflow e-mail to editors and writers (articles/editorial/notifications.py); false turns it off.
EDITORIAL_EMAILS = env_bool("EDITORIAL_EMAILS", True)
# The site's address, for links in e-mail (no request to build them from there).
SITE_URL = os.environ.get("SITE_URL", "").strip() or "http://127.0.0.1:8000"

# Browser features no page of the site uses are switched off for it and for any frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
}

# Content-Security-Policy (django-csp). Scripts only from this site or carrying the
# request's nonce; no inline event handlers, no eval. CSP_REPORT_ONLY=true sends the
# same policy as Content-Security-Policy-Report-Only, to try a change without breaking pages.
# Frames: the players of the embed providers articles/body/embeds.py knows, over HTTPS,
# plus EMBED_FRAME_SOURCES, more origins from the environment (comma-separated, for
# example "https://embed.example-provider.com").
EMBED_FRAME_SOURCES = [f"https://{host}" for host in EMBED_FRAME_HOSTS] + env_list("EMBED_FRAME_SOURCES")
# Where images may come from besides this site, for example media on object storage.
EXTRA_IMAGE_SOURCES = env_list("CSP_IMAGE_SOURCES")
# (Not named CSP_REPORT_ONLY in settings: django-csp takes CSP_* settings for its old format.)
_csp_report_only = env_bool("CSP_REPORT_ONLY", False)
# The body editor (Tiptap, inside django-prose-editor) inserts <style> elements of fixed
# text; they are allowed by their hashes rather than by 'unsafe-inline'. An upgrade of the
# editor may change them: the browser test of the policy then names the new hash.
PROSE_EDITOR_STYLE_HASHES = [
    "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='",
]
_csp_directives = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, *PROSE_EDITOR_STYLE_HASHES],
    "img-src": [SELF, "data:", "blob:", *EXTRA_IMAGE_SOURCES],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF, *EMBED_FRAME_SOURCES],
    "frame-ancestors": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
}
if os.environ.get("CSP_REPORT_URI", "").strip():
    _csp_directives["report-uri"] = [os.environ["CSP_REPORT_URI"].strip()]
_csp_policy = {"DIRECTIVES": _csp_directives}
CONTENT_SECURITY_POLICY = None if _csp_report_only else _csp_policy
CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy if _csp_report_only else None

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one account,
# or from one address, further attempts are refused for LOGIN_LOCKOUT_MINUTES, the right
# password included. `python manage.py axes_reset_username NAME` (or axes_reset) unlocks.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked.html"
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip_address"
AXES_USERNAME_CALLABLE = "newsroom.login_attempts.attempted_username"
# The log names the account and the address (never the password): the operator needs
# them to tell an attack from a forgetful editor, and to unlock the right one.
AXES_SENSITIVE_PARAMETERS = []
# How many reverse proxies in front of the app append to X-Forwarded-For (nginx and Caddy
# in deploy/ each add one). 0 trusts only the connection's own address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Every request gets an id (X-Request-ID on the response, gunicorn's access log and each
# log line). REQUEST_ID_HEADER=X-Request-ID takes the id the reverse proxy made instead.
_request_id_header = os.environ.get("REQUEST_ID_HEADER", "").strip()
if _request_id_header:
    LOG_REQUEST_ID_HEADER = "HTTP_" + _request_id_header.upper().replace("-", "_")
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"

# One handler, on stdout, for everything. Django's own "django" logger is given no
# handler of its own: with its default console handler and the root's, each of its
# lines printed twice under runserver.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "log_request_id.filters.RequestIDFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "runserver": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "line",
        },
        "runserver": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "runserver",
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # Lock-outs and failed logins are warnings; axes's info lines (startup, clean-ups) are noise.
        "axes": {"level": "WARNING"},
        # runserver's request lines, in Django's own format (they come after the request's id is gone).
        "django.server": {"handlers": ["runserver"], "level": "INFO", "propagate": False},
    },
}
