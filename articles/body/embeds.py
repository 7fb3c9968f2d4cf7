"""
Embeds: a URL of a known provider, stored as the URL and the provider's name.

The provider's own HTML and scripts are never stored or sent: reader pages show a
placeholder with a link to the original and a "Load" button (static/js/embeds.js) that
inserts the iframe ``iframe_url()`` builds only when the reader asks for it. Nothing here
calls the network. ``EMBED_FRAME_HOSTS`` lists every host an iframe may come from, for
the Content-Security-Policy's ``frame-src``.
"""

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlencode, urlsplit

# Mastodon has no single host: these instances are recognised (and listable for frame-src).
MASTODON_HOSTS = ("mastodon.social", "mastodon.online", "mstdn.social", "mastodon.world", "fosstodon.org",
                  "hachyderm.io", "infosec.exchange", "journa.host", "newsie.social", "mas.to")  # fmt: skip


@dataclass(frozen=True)
class Provider:
    name: str  # stored in data-provider
    label: str  # shown to readers
    # Matched against the whole URL, case-insensitively, in Python and in the editor's
    # JavaScript alike: plain syntax only, no named groups.
    pattern: str
    frame_hosts: tuple[str, ...]


PROVIDERS = (
    Provider("youtube", "YouTube",
             r"https://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^#]*&)?v=|shorts/|embed/|live/)|youtu\.be/)[\w-]{6,20}(?:[?&#][^\s]*)?",
             ("www.youtube-nocookie.com",)),
    Provider("vimeo", "Vimeo", r"https://(?:www\.)?vimeo\.com/(?:video/)?\d{3,12}(?:/[\w]+)?/?(?:[?#][^\s]*)?",
             ("player.vimeo.com",)),
    Provider("x", "X (Twitter)", r"https://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w{1,15}/status/\d{5,25}/?(?:[?#][^\s]*)?",
             ("platform.twitter.com",)),
    Provider("instagram", "Instagram", r"https://(?:www\.)?instagram\.com/(?:[\w.]+/)?(?:p|reel|tv)/[\w-]{5,40}/?(?:[?#][^\s]*)?",
             ("www.instagram.com",)),
    Provider("tiktok", "TikTok", r"https://(?:www\.)?tiktok\.com/@[\w.-]{1,40}/video/\d{5,25}/?(?:[?#][^\s]*)?",
             ("www.tiktok.com",)),
    Provider("bluesky", "Bluesky", r"https://bsky\.app/profile/(?:did:plc:[a-z2-7]{24}|[\w.-]{3,253})/post/[a-z2-7]{10,16}/?",
             ("embed.bsky.app",)),
    Provider("mastodon", "Mastodon",
             r"https://(?:" + "|".join(re.escape(host) for host in MASTODON_HOSTS) + r")/@\w{1,30}/\d{5,25}/?",
             MASTODON_HOSTS),
    Provider("soundcloud", "SoundCloud", r"https://(?:www\.|m\.)?soundcloud\.com/[\w-]{1,80}/[\w-]{1,200}(?:/[\w-]{1,200})?/?(?:\?[^\s#]*)?",
             ("w.soundcloud.com",)),
    Provider("spotify", "Spotify", r"https://open\.spotify\.com/(?:intl-[a-z-]{2,8}/)?(?:track|album|playlist|episode|show|artist)/\w{10,40}/?(?:\?[^\s#]*)?",
             ("open.spotify.com",)),
    Provider("openstreetmap", "OpenStreetMap",
             r"https://(?:www\.)?openstreetmap\.org/[^\s]*(?:#map=\d{1,2}/-?\d{1,3}(?:\.\d+)?/-?\d{1,3}(?:\.\d+)?|[?&]mlat=-?\d{1,3}(?:\.\d+)?&mlon=-?\d{1,3}(?:\.\d+)?)[^\s]*",
             ("www.openstreetmap.org",)),
    Provider("googlemaps", "Google Maps", r"https://(?:www\.|maps\.)?google\.[a-z.]{2,6}/maps(?:/[^\s]*)?(?:@-?\d{1,3}\.\d+,-?\d{1,3}\.\d+[^\s]*|[?&]q=[^\s]+)",
             ("www.google.com",)),
)  # fmt: skip

PROVIDERS_BY_NAME = {provider.name: provider for provider in PROVIDERS}

# Every host an embed's iframe may load from: the Content-Security-Policy's frame-src.
EMBED_FRAME_HOSTS = sorted({host for provider in PROVIDERS for host in provider.frame_hosts})

_COMPILED = [(provider, re.compile(provider.pattern, re.IGNORECASE)) for provider in PROVIDERS]


def provider_for(url: str) -> Provider | None:
    """The provider whose embeds ``url`` points at, or None for any other URL."""
    url = (url or "").strip()
    if len(url) > 2000:
        return None
    for provider, pattern in _COMPILED:
        if pattern.fullmatch(url):
            return provider
    return None


def editor_patterns() -> list[list[str]]:
    """``[name, pattern]`` pairs for the editor, which turns a pasted provider URL into an embed."""
    return [[provider.name, provider.pattern] for provider in PROVIDERS]


def iframe_url(url: str) -> str | None:
    """The address of the provider's player for ``url``, or None where there is none to build."""
    provider = provider_for(url)
    if provider is None:
        return None
    parts = urlsplit(url.strip())
    segments = [segment for segment in parts.path.split("/") if segment]
    query = parse_qs(parts.query)
    return _BUILDERS[provider.name](parts, segments, query)


def _youtube(parts, segments, query):
    if parts.netloc.lower().endswith("youtu.be"):
        video = segments[0]
    elif segments and segments[0] in {"shorts", "embed", "live"}:
        video = segments[1]
    else:
        video = query.get("v", [""])[0]
    if not re.fullmatch(r"[\w-]{6,20}", video):
        return None
    start = _seconds(query.get("t", query.get("start", [""]))[0])
    return f"https://www.youtube-nocookie.com/embed/{video}" + (f"?start={start}" if start else "")


def _seconds(value):
    """YouTube's ``t``: 90, 90s or 1m30s."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", value or "")
    if not match or not value:
        return 0
    hours, minutes, seconds = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _vimeo(parts, segments, query):
    video = next(segment for segment in segments if segment.isdigit())
    return f"https://player.vimeo.com/video/{video}?dnt=1"


def _x(parts, segments, query):
    return f"https://platform.twitter.com/embed/Tweet.html?id={segments[2]}&dnt=true"


def _instagram(parts, segments, query):
    index = next(i for i, segment in enumerate(segments) if segment in {"p", "reel", "tv"})
    return f"https://www.instagram.com/{segments[index]}/{segments[index + 1]}/embed/"


def _tiktok(parts, segments, query):
    return f"https://www.tiktok.com/embed/v2/{segments[2]}"


def _bluesky(parts, segments, query):
    # The embed needs the author's DID; a handle would have to be resolved over the
    # network, so such posts are offered as a link only.
    author, post = segments[1], segments[3]
    if not author.startswith("did:"):
        return None
    return f"https://embed.bsky.app/embed/{author}/app.bsky.feed.post/{post}"


def _mastodon(parts, segments, query):
    return f"https://{parts.netloc.lower()}/{segments[0]}/{segments[1]}/embed"


def _soundcloud(parts, segments, query):
    track = f"https://soundcloud.com/{'/'.join(segments)}"
    return "https://w.soundcloud.com/player/?" + urlencode({"url": track, "visual": "false"}, quote_via=quote)


def _spotify(parts, segments, query):
    if segments[0].startswith("intl-"):
        segments = segments[1:]
    return f"https://open.spotify.com/embed/{segments[0]}/{segments[1]}"


def _openstreetmap(parts, segments, query):
    fragment = re.search(r"map=(\d{1,2})/(-?[\d.]+)/(-?[\d.]+)", parts.fragment)
    if fragment:
        zoom, lat, lon = int(fragment[1]), float(fragment[2]), float(fragment[3])
    else:
        zoom = int((query.get("zoom") or ["15"])[0]) if (query.get("zoom") or ["x"])[0].isdigit() else 15
        lat, lon = float(query["mlat"][0]), float(query["mlon"][0])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    # The bounding box of a roughly 700 x 400 px view at that zoom.
    half_width = 360 / 2 ** min(max(zoom, 1), 19) * 700 / 256 / 2
    half_height = half_width * 400 / 700 * max(math.cos(math.radians(lat)), 0.05)
    bbox = f"{lon - half_width:.5f},{lat - half_height:.5f},{lon + half_width:.5f},{lat + half_height:.5f}"
    return "https://www.openstreetmap.org/export/embed.html?" + urlencode(
        {"bbox": bbox, "layer": "mapnik", "marker": f"{lat:.5f},{lon:.5f}"}
    )


def _googlemaps(parts, segments, query):
    at = re.search(r"@(-?\d{1,3}\.\d+),(-?\d{1,3}\.\d+)(?:,(\d{1,2}(?:\.\d+)?)z)?", parts.path)
    if at:
        place = f"{at[1]},{at[2]}"
        zoom = str(round(float(at[3]))) if at[3] else "15"
    elif query.get("q"):
        place, zoom = query["q"][0], "15"
    else:
        return None
    return "https://www.google.com/maps?" + urlencode({"q": place, "z": zoom, "output": "embed"})


_BUILDERS = {
    "youtube": _youtube,
    "vimeo": _vimeo,
    "x": _x,
    "instagram": _instagram,
    "tiktok": _tiktok,
    "bluesky": _bluesky,
    "mastodon": _mastodon,
    "soundcloud": _soundcloud,
    "spotify": _spotify,
    "openstreetmap": _openstreetmap,
    "googlemaps": _googlemaps,
}
