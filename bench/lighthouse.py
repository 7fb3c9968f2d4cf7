"""Lighthouse (mobile) on the demo newsroom as production serves it:
``python -m bench.lighthouse [--lighthouse PATH]``.

1. builds the demo newsroom (``migrate``, ``seed_demo``, ``prepare_renditions``,
   ``collectstatic``) in a fresh SQLite database and media directory under a temporary
   folder;
2. starts gunicorn (2 sync workers) with production settings: DEBUG off, a real
   SECRET_KEY, ALLOWED_HOSTS, compressed and hashed static files; Django serves the media
   (``SERVE_MEDIA``) since no web server stands in front, and there is no TLS, so no
   redirect to https;
3. runs Lighthouse 12 against the home page and the article whose body shows the most
   (a figure, a table, an embed), and prints for each the four category scores, LCP,
   CLS, the bytes of images loaded and the image audits that fail.

Lighthouse comes from npm (``npm i -E lighthouse@12.2.3``; newer needs Node 22); pass its
``lighthouse`` executable with ``--lighthouse`` or ``LIGHTHOUSE``. Chromium is Debian's
(``CHROME_PATH``, default /usr/bin/chromium).
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import cpu_counters

ROOT = Path(__file__).resolve().parent.parent
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
IMAGE_AUDITS = ("modern-image-formats", "uses-responsive-images", "offscreen-images", "unsized-images")


def page_figures(report):
    """What the table shows of one Lighthouse report (its JSON, as a dict)."""
    audits = report["audits"]
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    failing = [
        name
        for name in IMAGE_AUDITS
        if name in audits and audits[name].get("score") is not None and audits[name]["score"] < 1
    ]
    return {
        "scores": {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "image_bytes": sum(
            item.get("transferSize", 0) for item in requests if item.get("resourceType") == "Image"
        ),
        "images": sum(1 for item in requests if item.get("resourceType") == "Image"),
        "failing_image_audits": failing,
    }


def table(rows):
    lines = [
        "| page | performance | accessibility | best practices | SEO | LCP | CLS | images | image bytes | image audits failing |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, figures in rows:
        scores = figures["scores"]
        lines.append(
            f"| {label} | {scores['performance']} | {scores['accessibility']} | {scores['best-practices']} "
            f"| {scores['seo']} | {figures['lcp_ms']:,.0f} ms | {figures['cls']:.3f} | {figures['images']} "
            f"| {figures['image_bytes'] / 1024:,.1f} KB | {', '.join(figures['failing_image_audits']) or 'none'} |"
        )
    return "\n".join(lines)


def find_lighthouse(option):
    candidates = [
        option,
        os.environ.get("LIGHTHOUSE"),
        ROOT / "node_modules/.bin/lighthouse",
        shutil.which("lighthouse"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise SystemExit(
        "error: no lighthouse executable: `npm i -E lighthouse@12.2.3` in a folder of your choice, "
        "then pass --lighthouse FOLDER/node_modules/.bin/lighthouse"
    )


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo_environment(workdir, port):
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        SERVE_MEDIA="true",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    return env


def manage(env, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def showcase_article_path(env):
    """The published article whose body holds the most kinds of block (figure, table, embed...)."""
    script = (
        "import django; django.setup()\n"
        "from articles.models import Article\n"
        "kinds = ('<figure', '<table', 'data-provider', '<pre', '<blockquote')\n"
        "best = max(Article.objects.published(), key=lambda a: (sum(k in a.body for k in kinds), a.published_at))\n"
        "print(best.get_absolute_url())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()[-1]


def wait_until_up(url, process, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise SystemExit(f"error: gunicorn did not start; see {log}")


def run_lighthouse(lighthouse, url, out, chrome):
    env = dict(os.environ, CHROME_PATH=chrome)
    command = [
        lighthouse,
        url,
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    subprocess.run(command, env=env, check=True)
    return json.loads(out.read_text())


def arguments():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--lighthouse", help="the lighthouse executable (default: $LIGHTHOUSE, ./node_modules)"
    )
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--keep", action="store_true", help="keep the reports and the demo database")
    return parser.parse_args()


def main():
    options = arguments()
    lighthouse = find_lighthouse(options.lighthouse)
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-lighthouse-"))
    port = free_port()
    env = demo_environment(workdir, port)
    print(f"building the demo newsroom in {workdir} ...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "prepare_renditions")  # as a site does after an import: no reader waits for one
    manage(env, "collectstatic", "--noinput")
    base_url = f"http://127.0.0.1:{port}"
    pages = [("home", "/"), ("article", showcase_article_path(env))]
    log = workdir / "gunicorn.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "newsroom.wsgi",
        "--workers=2",
        f"--bind=127.0.0.1:{port}",
        f"--error-logfile={log}",
        "--no-control-socket",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    steal_before = cpu_counters()
    rows = []
    try:
        wait_until_up(base_url + "/", server, log)
        for label, path in pages:
            urllib.request.urlopen(base_url + path, timeout=30).read()  # renditions made, page cached
            report = run_lighthouse(lighthouse, base_url + path, workdir / f"{label}.json", options.chrome)
            rows.append((f"{label} (`{path}`)", page_figures(report)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    steal_after = cpu_counters()
    print()
    print(table(rows))
    print()
    load = os.getloadavg()
    steal = ""
    if steal_before and steal_after and steal_after[1] > steal_before[1]:
        steal = f", CPU steal {100 * (steal_after[0] - steal_before[0]) / (steal_after[1] - steal_before[1]):.1f}%"
    print(
        f"Lighthouse {lighthouse_version(lighthouse)} (mobile), load average {load[0]:.2f} {load[1]:.2f}{steal}"
    )
    if options.keep:
        print(f"reports and demo database kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def lighthouse_version(lighthouse):
    result = subprocess.run([lighthouse, "--version"], capture_output=True, text=True)
    return result.stdout.strip()


if __name__ == "__main__":
    main()
