"""
The editor of the load benchmark: a newsroom at work while readers read.

bench.load starts it as its own process (``python -m bench.editor``), with the same
environment as the gunicorn it measures (database, Redis, production settings), so its
saves invalidate the cache that gunicorn reads. For ``--duration`` seconds it:

- saves a draft every ``--draft-interval`` seconds (2) through the admin itself: the
  article change form is fetched and posted back with a changed body, in process, by
  Django's test client, so the save runs the admin's code (form, edit-version claim,
  revision, signals) exactly as an editor's does;
- every ``--event-interval`` seconds (20), in turn, adds a correction to the most read
  article (services.add_correction) or publishes a new article (services.publish_article,
  as the admin's publish button does), then polls the site as a reader would until the
  change shows: the correction's text on the article page, the new headline on the
  home page. The first event comes a quarter interval in, so that the last one is
  measured while the readers' load still runs.

It writes one JSON object to ``--out``: the events, with the seconds until each was
visible, and the draft saves (how long each took, and any that failed).
"""

import argparse
import json
import os
import threading
import time
import urllib.error
import urllib.request
import uuid

READER_HEADERS = {"X-Forwarded-Proto": "https"}
# Every correction the benchmark adds starts so; bench.load deletes them after the run.
CORRECTION_PREFIX = "Bench correction"
POLL_INTERVAL = 0.05
# Admin requests come from an address ALLOWED_HOSTS accepts, over "HTTPS" (as behind the proxy).
ADMIN_HOST = "127.0.0.1"


def fetch(url):
    """(status, body) of a reader's GET of ``url``."""
    request = urllib.request.Request(url, headers=READER_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return None, ""


def seconds_until_visible(url, text, *, started, give_up_after):
    """Poll ``url`` until its page contains ``text``; seconds since ``started`` (None: never)."""
    while time.monotonic() - started < give_up_after:
        status, body = fetch(url)
        if status == 200 and text in body:
            return time.monotonic() - started
        time.sleep(POLL_INTERVAL)
    return None


class Editor:
    def __init__(self, options):
        from django.contrib.auth import get_user_model
        from django.test import Client

        from articles.models import Article

        self.options = options
        self.user = get_user_model().objects.get(pk=options.user_id)
        self.draft = Article.objects.get(pk=options.draft_id)
        self.popular = Article.objects.get(pk=options.popular_id)
        self.client = Client(HTTP_HOST=ADMIN_HOST)
        self.client.force_login(self.user)
        self.draft_saves = []
        self.events = []
        self.pollers = []

    def save_draft(self, number):
        from django.urls import reverse

        from tests.html_forms import form_data

        url = reverse("admin:articles_article_change", args=[self.draft.pk])
        started = time.monotonic()
        page = self.client.get(url, secure=True)
        if page.status_code != 200:
            raise RuntimeError(f"the admin answered {page.status_code} to {url}")
        form = form_data(page)
        form["body"] = f"<p>Draft in progress, save {number}: {uuid.uuid4().hex}.</p>"
        response = self.client.post(url, form, secure=True)
        # The admin answers a good save with a redirect; a form with errors comes back as 200.
        saved = response.status_code == 302
        save = {"seconds": time.monotonic() - started, "ok": saved, "status": response.status_code}
        if not saved:
            content = response.content.decode("utf-8", "replace")
            start = max(content.find("errornote"), content.find("errorlist"), 0)
            save["excerpt"] = content[start : start + 300]
        self.draft_saves.append(save)

    def add_correction(self):
        from articles.editorial import services

        token = f"{CORRECTION_PREFIX} {uuid.uuid4().hex[:12]}"
        started = time.monotonic()
        services.add_correction(
            self.popular, kind="correction", text=f"{token}: a name was misspelt.", by=self.user
        )
        self._poll("correction", self.options.base_url + self.popular.get_absolute_url(), token, started)

    def publish_new_article(self, number):
        from articles.editorial import services
        from articles.models import Article, Byline

        token = uuid.uuid4().hex[:12]
        title = f"Breaking bench story {token}"
        article = Article.objects.create(
            title=title,
            slug=f"{self.options.new_slug_prefix}{number}-{token}",
            section=self.popular.section,
            dek="A story the load benchmark publishes while readers read.",
            body="<p>What happened, who said what, and what comes next.</p>",
            created_by=self.user,
        )
        author = self.popular.bylines.values_list("author_id", flat=True).first()
        if author:
            Byline.objects.create(article=article, author_id=author, position=0)
        started = time.monotonic()
        services.publish_article(article, by=self.user)
        self._poll("publish", self.options.base_url + "/", title, started)

    def _poll(self, kind, url, text, started):
        event = {"kind": kind, "url": url, "at": started - self.options.started}

        def poll():
            event["visible_after"] = seconds_until_visible(
                url, text, started=started, give_up_after=self.options.give_up_after
            )

        poller = threading.Thread(target=poll)
        poller.start()
        self.pollers.append(poller)
        self.events.append(event)

    def run(self):
        options = self.options
        end = options.started + options.duration
        next_draft = options.started + options.draft_interval
        next_event = options.started + options.event_interval / 4
        drafts = events = 0
        while True:
            upcoming = min(next_draft, next_event)
            if upcoming >= end:
                break
            time.sleep(max(0.0, upcoming - time.monotonic()))
            if next_event <= next_draft:
                kind = "correction" if events % 2 == 0 else "publish"
                try:
                    if kind == "correction":
                        self.add_correction()
                    else:
                        self.publish_new_article(events)
                except Exception as error:  # a refused write (SQLite busy...) is a result, not a crash
                    self.events.append({"kind": kind, "error": repr(error)[:300], "visible_after": None})
                events += 1
                next_event += options.event_interval
            else:
                drafts += 1
                started = time.monotonic()
                try:
                    self.save_draft(drafts)
                except Exception as error:
                    self.draft_saves.append(
                        {
                            "seconds": time.monotonic() - started,
                            "ok": False,
                            "status": None,
                            "excerpt": repr(error),
                        }
                    )
                next_draft += options.draft_interval
        for poller in self.pollers:
            poller.join()
        return {"draft_saves": self.draft_saves, "events": self.events}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--base-url", required=True, help="the site as readers reach it, e.g. http://127.0.0.1:8123"
    )
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--draft-interval", type=float, default=2)
    parser.add_argument("--event-interval", type=float, default=20)
    parser.add_argument(
        "--give-up-after", type=float, default=30, help="seconds to wait for a change to show"
    )
    parser.add_argument("--user-id", type=int, required=True)
    parser.add_argument("--draft-id", type=int, required=True)
    parser.add_argument("--popular-id", type=int, required=True)
    parser.add_argument("--new-slug-prefix", default="bench-load-new-")
    parser.add_argument("--out", required=True)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    editor = Editor(options)
    # Ready: the clock starts when bench.load says go (a line on stdin), as wrk starts.
    print("ready", flush=True)
    input()
    options.started = time.monotonic()
    result = editor.run()
    with open(options.out, "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
