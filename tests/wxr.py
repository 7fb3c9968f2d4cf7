"""Small WordPress exports (WXR 1.2) written by the tests, one mapping at a time."""

from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Old Site</title><link>https://old.example.com</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://old.example.com</wp:base_site_url>
<wp:base_blog_url>https://old.example.com</wp:base_blog_url>
"""


def cdata(text):
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login="maria", display_name="Maria Lopez"):
    return (
        f"<wp:author><wp:author_id>1</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_display_name>{cdata(display_name)}</wp:author_display_name></wp:author>"
    )


def category(slug, name, parent="", term_id=""):
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{cdata(slug)}"
        f"</wp:category_nicename><wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
    )


def item(
    post_id,
    *,
    title="A post",
    slug=None,
    content="<p>Body.</p>",
    excerpt="",
    post_type="post",
    status="publish",
    date_gmt="2020-05-04 10:00:00",
    date=None,
    modified_gmt="2020-05-04 10:00:00",
    creator="maria",
    password="",
    parent=0,
    categories=(("category", "news", "News"),),
    meta=(),
    link=None,
    attachment_url="",
):
    slug = f"post-{post_id}" if slug is None else slug
    link = f"https://old.example.com/2020/05/04/{slug}/" if link is None else link
    terms = "".join(
        f'<category domain="{domain}" nicename="{escape(nicename)}">{cdata(name)}</category>'
        for domain, nicename, name in categories
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key><wp:meta_value>{cdata(value)}</wp:meta_value>"
        "</wp:postmeta>"
        for key, value in meta
    )
    return f"""<item>
<title>{escape(title)}</title><link>{escape(link)}</link>
<guid isPermaLink="false">https://old.example.com/?p={post_id}</guid>
<dc:creator>{cdata(creator)}</dc:creator>
<content:encoded>{cdata(content)}</content:encoded>
<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date>{cdata(date or date_gmt)}</wp:post_date>
<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
<wp:post_modified_gmt>{cdata(modified_gmt)}</wp:post_modified_gmt>
<wp:post_name>{cdata(slug)}</wp:post_name>
<wp:status>{cdata(status)}</wp:status>
<wp:post_parent>{parent}</wp:post_parent>
<wp:menu_order>0</wp:menu_order>
<wp:post_type>{cdata(post_type)}</wp:post_type>
<wp:post_password>{cdata(password)}</wp:post_password>
{f"<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>" if attachment_url else ""}
{terms}{metas}
</item>
"""


def attachment(post_id, url, *, parent=0, title="A photo", alt="", caption=""):
    meta = [("_wp_attachment_image_alt", alt)] if alt else []
    meta.append(("_wp_attached_file", url.split("/wp-content/uploads/", 1)[1]))
    return item(
        post_id, title=title, post_type="attachment", status="inherit", parent=parent, categories=(),
        meta=meta, excerpt=caption, attachment_url=url, content="",
    )  # fmt: skip


def export(*parts, authors=None, categories=None):
    authors = [author()] if authors is None else authors
    categories = [category("news", "News")] if categories is None else categories
    return HEAD + "".join(authors) + "".join(categories) + "".join(parts) + "</channel></rss>\n"


def write(tmp_path, *parts, name="export.xml", **kwargs):
    path = tmp_path / name
    path.write_text(export(*parts, **kwargs), encoding="utf-8")
    return path
