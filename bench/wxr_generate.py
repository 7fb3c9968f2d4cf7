"""
Write a synthetic WordPress export (WXR 1.2) to measure imports with.

    python -m bench.wxr_generate /tmp/wordpress-10000.xml --posts 10000

Posts mix what real archives hold: classic content (automatic paragraphs, [caption],
[gallery], [embed], an unknown shortcode) and block-editor content (paragraphs,
headings, images, embeds, footnotes), excerpts, "more" marks, 40 categories in two
levels, 600 tags, 25 authors, one attachment per four posts, comments, drafts, private
and scheduled posts. The file is written as it is generated: any size fits in memory.
"""

import argparse
import random
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "council",
    "harbour",
    "budget",
    "vote",
    "minister",
    "river",
    "storm",
    "school",
    "hospital",
    "court",
    "rail",
    "market",
    "energy",
    "housing",
    "water",
    "police",
    "museum",
    "festival",
    "election",
    "report",
    "data",
    "climate",
    "union",
    "mayor",
    "bridge",
    "port",
    "farm",
    "wind",
    "solar",
    "tax",
    "league",
    "final",
    "season",
    "coach",
    "strike",
    "plan",
    "city",
    "region",
    "study",
]


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def classic_body(rng, post_id, attachment_ids):
    paragraphs = ["\n".join(sentence(rng) for _ in range(2)) for _ in range(rng.randint(3, 8))]
    if rng.random() < 0.4:
        paragraphs.insert(1, "<!--more-->")
    if attachment_ids and rng.random() < 0.5:
        a = attachment_ids[0]
        paragraphs.insert(
            2,
            f'[caption id="attachment_{a}" align="alignnone" width="800"]<img src="https://old.example.com/'
            f'wp-content/uploads/2019/04/photo-{a}.jpg" alt="Photo {a}" width="800" height="533" /> '
            f"{sentence(rng, 6)}[/caption]",
        )
    if attachment_ids and rng.random() < 0.2:
        paragraphs.append(f'[gallery ids="{",".join(map(str, attachment_ids))}"]')
    if rng.random() < 0.1:
        paragraphs.append(f"[embed]https://www.youtube.com/watch?v=vid{post_id}[/embed]")
    if rng.random() < 0.1:
        paragraphs.append('[contact-form-7 id="12" title="Contact"]')
    if rng.random() < 0.1:
        paragraphs.append("<h1>Old heading</h1>\n<b>bold</b> and <i>italic</i> and <del>gone</del>")
    return "\n\n".join(paragraphs)


def block_body(rng, post_id, attachment_ids):
    blocks = []
    for _ in range(rng.randint(3, 8)):
        blocks.append(
            f"<!-- wp:paragraph -->\n<p>{sentence(rng)} {sentence(rng)}</p>\n<!-- /wp:paragraph -->"
        )
    blocks.insert(1, f"<!-- wp:heading -->\n<h2>{sentence(rng, 5)}</h2>\n<!-- /wp:heading -->")
    if attachment_ids:
        a = attachment_ids[0]
        blocks.append(
            f'<!-- wp:image {{"id":{a}}} -->\n<figure class="wp-block-image"><img src="https://old.example.com/'
            f'wp-content/uploads/2019/04/photo-{a}.jpg" alt="Photo {a}" class="wp-image-{a}"/><figcaption>'
            f"{sentence(rng, 6)}</figcaption></figure>\n<!-- /wp:image -->"
        )
    if rng.random() < 0.1:
        url = f"https://www.youtube.com/watch?v=blk{post_id}"
        blocks.append(
            f'<!-- wp:embed {{"url":"{url}","type":"video","providerNameSlug":"youtube"}} -->\n'
            f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n{url}\n</div></figure>\n'
            "<!-- /wp:embed -->"
        )
    return "\n\n".join(blocks)


def item(rng, post_id, *, now, categories, tags, authors, attachment_ids):
    published = now - timedelta(minutes=rng.randint(60, 60 * 24 * 3650))
    modified = published + timedelta(days=rng.choice([0, 0, 0, 1, 30]))
    status = rng.choices(["publish", "draft", "private", "future", "pending"], [90, 4, 2, 2, 2])[0]
    if status == "future":
        published = now + timedelta(days=rng.randint(1, 30))
    title = sentence(rng, rng.randint(4, 12))[:-1]
    slug = f"{'-'.join(title.lower().split()[:6])}-{post_id}"
    content = (
        block_body(rng, post_id, attachment_ids)
        if rng.random() < 0.5
        else classic_body(rng, post_id, attachment_ids)
    )
    chosen = rng.sample(categories, rng.randint(1, 3))
    terms = "".join(
        f'<category domain="category" nicename="{slug}">{cdata(name)}</category>' for slug, name in chosen
    )
    terms += "".join(
        f'<category domain="post_tag" nicename="{slug}">{cdata(name)}</category>'
        for slug, name in rng.sample(tags, rng.randint(0, 5))
    )
    meta = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in ([("_thumbnail_id", str(attachment_ids[0]))] if attachment_ids else [])
    )
    comments = "".join(
        f"<wp:comment><wp:comment_id>{post_id * 10 + n}</wp:comment_id><wp:comment_content>"
        f"{cdata(sentence(rng))}</wp:comment_content></wp:comment>"
        for n in range(rng.randint(0, 3))
    )
    fmt = "%Y-%m-%d %H:%M:%S"
    return (
        f"<item><title>{escape(title)}</title><link>https://old.example.com/{published:%Y/%m/%d}/{slug}/</link>"
        f'<guid isPermaLink="false">https://old.example.com/?p={post_id}</guid>'
        f"<dc:creator>{cdata(rng.choice(authors))}</dc:creator>"
        f"<content:encoded>{cdata(content)}</content:encoded>"
        f"<excerpt:encoded>{cdata(sentence(rng) if rng.random() < 0.3 else '')}</excerpt:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{cdata(published.strftime(fmt))}</wp:post_date>"
        f"<wp:post_date_gmt>{cdata(published.strftime(fmt))}</wp:post_date_gmt>"
        f"<wp:post_modified_gmt>{cdata(modified.strftime(fmt))}</wp:post_modified_gmt>"
        f"<wp:post_name>{cdata(slug)}</wp:post_name><wp:status>{cdata(status)}</wp:status>"
        f"<wp:post_parent>0</wp:post_parent><wp:post_type>{cdata('post')}</wp:post_type>"
        f"<wp:post_password>{cdata('')}</wp:post_password>{terms}{meta}{comments}</item>\n"
    )


def attachment(post_id, parent):
    url = f"https://old.example.com/wp-content/uploads/2019/04/photo-{post_id}.jpg"
    return (
        f"<item><title>Photo {post_id}</title><link>{url}</link><guid>{url}</guid>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_parent>{parent}</wp:post_parent>"
        f"<wp:status>{cdata('inherit')}</wp:status><wp:post_type>{cdata('attachment')}</wp:post_type>"
        f"<wp:attachment_url>{cdata(url)}</wp:attachment_url>"
        f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>"
        f"{cdata(f'2019/04/photo-{post_id}.jpg')}</wp:meta_value></wp:postmeta>"
        f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>"
        f"{cdata(f'A photo, number {post_id}')}</wp:meta_value></wp:postmeta></item>\n"
    )


def write_export(path, posts, *, seed=14):
    rng = random.Random(seed)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    parents = [(f"topic-{n}", f"Topic {n}") for n in range(10)]
    children = [(f"topic-{n % 10}-sub-{n}", f"Subtopic {n}") for n in range(30)]
    categories = parents + children
    tags = [(f"tag-{n}", f"Tag {n}") for n in range(600)]
    authors = [f"writer{n}" for n in range(25)]
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel><title>Old Site</title><link>https://old.example.com</link>"
            "<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example.com</wp:base_site_url>"
            "<wp:base_blog_url>https://old.example.com</wp:base_blog_url>\n"
        )
        for n, login in enumerate(authors):
            out.write(
                f"<wp:author><wp:author_id>{n + 1}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_display_name>{cdata(f'Writer Number {n}')}</wp:author_display_name></wp:author>\n"
            )
        for n, (slug, name) in enumerate(categories):
            parent = "" if slug.count("-") == 1 else slug.split("-sub-")[0]
            out.write(
                f"<wp:category><wp:term_id>{n + 1}</wp:term_id><wp:category_nicename>{cdata(slug)}"
                f"</wp:category_nicename><wp:category_parent>{cdata(parent)}</wp:category_parent>"
                f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
            )
        for n, (slug, name) in enumerate(tags):
            out.write(
                f"<wp:tag><wp:term_id>{1000 + n}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        next_id = 1
        for _ in range(posts):
            post_id = next_id
            next_id += 1
            attachment_ids = []
            if rng.random() < 0.25:
                attachment_ids = [next_id]
                out.write(attachment(next_id, post_id))
                next_id += 1
            out.write(item(rng, post_id, now=now, categories=categories, tags=tags, authors=authors,
                           attachment_ids=attachment_ids))  # fmt: skip
        out.write("</channel></rss>\n")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output")
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=14)
    options = parser.parse_args()
    write_export(options.output, options.posts, seed=options.seed)
    print(f"Wrote {options.posts} posts to {options.output}")


if __name__ == "__main__":
    main()
