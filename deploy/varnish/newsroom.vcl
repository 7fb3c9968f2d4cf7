vcl 4.1;

# Varnish in front of Newsroom (gunicorn). Reader pages are cached for as long as
# their Cache-Control s-maxage says, tagged with the keys Newsroom sends in the
# Surrogate-Key header, and purged by those keys when an editor changes what they
# show (PURGE with an "xkey-purge" header, sent by Newsroom after each commit).
# Needs varnish-modules (vmod_xkey): apt-get install varnish varnish-modules.

import std;
import xkey;

backend newsroom {
    .host = "127.0.0.1";
    .port = "8000";
    .first_byte_timeout = 30s;
}

# Who may purge: the application servers. Add their addresses.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from here."));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in an xkey-purge header."));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged + " objects."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin and previews are personal; a signed-in editor sees pages uncached.
    if (req.url ~ "^/(admin|preview)/" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Reader pages read no cookie: drop them (analytics cookies would split the cache).
    unset req.http.Cookie;
    # Tracking parameters change nothing on a page.
    set req.url = regsuball(req.url, "(?i)([?&])(utm_[a-z]+|fbclid|gclid|mc_[a-z]+)=[^&]*", "\1");
    set req.url = regsub(req.url, "[?&]+$", "");
    return (hash);
}

sub vcl_backend_response {
    # Keep serving a stale copy while a fresh one is fetched, or while the
    # application is down (stale-while-revalidate and stale-if-error).
    if (beresp.http.Cache-Control ~ "stale-if-error=") {
        set beresp.keep = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"), 0s);
    }
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Never store what the application marks private, or a response setting a cookie.
    if (beresp.http.Cache-Control ~ "(private|no-store)" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
    # The keys are for this cache only; browsers have no use for them.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
