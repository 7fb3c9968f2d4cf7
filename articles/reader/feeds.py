"""
RSS 2.0 and Atom feeds of the whole site, a section, a tag and an author.

Each item carries the full sanitized body (``content:encoded`` in RSS,
``<content>`` in Atom) with absolute URLs and library figures as plain images
(``articles.body.render.feed_body``), the dek as its summary, the bylines, the section and
tags as categories, publish and update times, and the lead image as an
enclosure.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date

from images.models import Rendition
from images.renditions import RenditionBusy, ensure_rendition, share_rendition

from ..body.render import feed_body, figure_images
from ..lasting_urls import lookups
from ..models import Article, Author, Section, public_tags, tag_url
from ..pagecache import depends_on, keys

FEED_LENGTH = 30
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the article body in ``content:encoded``, and the update time.

    RSS has no element for the update time; ``atom:updated`` (the Atom
    namespace is already declared for the self link) is what readers look for.
    """

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        if item.get("updateddate"):
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


class AtomWithContent(Atom1Feed):
    """Atom with the article body in ``<content type="html">`` beside the summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class FeedMoved(Exception):
    """The feed's section or tag was renamed or merged: subscribers follow a 301."""

    def __init__(self, url):
        super().__init__(url)
        self.url = url


@dataclass
class FeedSubject:
    """What a feed is about (None: the whole site), and the request, for absolute URLs."""

    request: HttpRequest
    obj: object = None


class ArticleFeed(Feed):
    """The latest published articles; subclasses narrow ``articles()`` to a subject."""

    feed_type = RssWithContent
    url_name = "articles:feed-rss"

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except FeedMoved as moved:
            return redirect(moved.url, permanent=True)

    def get_object(self, request, **kwargs):
        return FeedSubject(request=request, obj=self.get_subject(**kwargs))

    def renamed_subject(self, current):
        """Raise FeedMoved to ``current``'s feed (a renamed or merged subject), or 404."""
        if current is None:
            raise Http404("No such feed")
        raise FeedMoved(reverse(self.url_name, kwargs={"slug": current.slug}))

    def get_subject(self, **kwargs):
        return None

    def subject_articles(self, subject):
        return Article.objects.published()

    def items(self, subject):
        articles = list(
            self.subject_articles(subject.obj)
            .with_card_relations()
            .prefetch_related("tags")
            .latest_first()[:FEED_LENGTH]
        )
        images = figure_images(article.body for article in articles)
        for article in articles:
            # Feed methods only see the item: give each one the request's host.
            article.feed_request = subject.request
            article.feed_body = feed_body(
                article.body,
                base_url=subject.request.build_absolute_uri(article.get_absolute_url()),
                images=images,
            )
        attach_enclosures(articles)
        depends_on(self.subject_keys(subject.obj), keys.shown_articles(articles))
        depends_on(keys.tag_key(tag.pk) for article in articles for tag in article.tags.all())
        return articles

    def subject_keys(self, subject):
        return [keys.FEEDS]

    def title(self, subject):
        return settings.SITE_NAME

    def description(self, subject):
        return settings.SITE_DESCRIPTION

    def link(self, subject):
        return subject.obj.get_absolute_url() if subject.obj else reverse("articles:home")

    def feed_url(self, subject):
        kwargs = {"slug": subject.obj.slug} if subject.obj else {}
        return reverse(self.url_name, kwargs=kwargs)

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.dek or article.title

    def item_extra_kwargs(self, article):
        # The body was sanitized with an allow-list when it was saved.
        return {"content": article.feed_body}

    def item_guid(self, article):
        # A tag: URI (RFC 4151) that survives slug and section changes, so
        # feed readers never show an edited article twice.
        host = article.feed_request.get_host().split(":")[0]
        return f"tag:{host},{article.created_at:%Y-%m-%d}:article-{article.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.published_at)

    def item_author_name(self, article):
        names = [byline.author.name for byline in article.bylines.all()]
        return ", ".join(names) or None

    def item_author_link(self, article):
        bylines = article.bylines.all()
        if not bylines:
            return None
        return article.feed_request.build_absolute_uri(bylines[0].author.get_absolute_url())

    def item_categories(self, article):
        return [article.section.name, *(tag.name for tag in article.tags.all())]

    def item_enclosure_url(self, article):
        if article.enclosure:
            return article.feed_request.build_absolute_uri(article.enclosure.url)
        return None

    def item_enclosure_length(self, article):
        return article.enclosure.length

    def item_enclosure_mime_type(self, article):
        return article.enclosure.mime_type


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    mime_type: str


def attach_enclosures(articles):
    """Give each article its ``enclosure``: the lead image's 1200 px rendition, whose length in
    bytes a feed must state, so it is made now if no reader has asked for it yet.

    One query for the renditions already made, whatever the number of articles.
    """
    shared = {
        article.pk: share_rendition(article.lead_image)
        for article in articles
        if article.lead_image and article.lead_image.can_render
    }
    made = {}
    if shared:
        made = {
            (rendition.image_id, rendition.spec): rendition
            for rendition in Rendition.objects.filter(
                image_id__in={article.lead_image_id for article in articles if article.pk in shared},
                spec__in={str(share.spec) for share in shared.values()},
            ).exclude(file="")
        }
    for article in articles:
        article.enclosure = None
        share = shared.get(article.pk)
        if share is None:
            continue
        rendition = made.get((article.lead_image_id, str(share.spec)))
        if rendition is None:
            try:
                rendition = ensure_rendition(article.lead_image, share.spec)
            except (OSError, RenditionBusy):
                continue  # the original is missing, or being rendered: no enclosure this time
        article.enclosure = Enclosure(share.url, rendition.size, share.mime_type)


class ArticleAtomFeed(ArticleFeed):
    feed_type = AtomWithContent
    url_name = "articles:feed-atom"

    def subtitle(self, subject):
        return self.description(subject)


class SectionFeedMixin:
    url_name = "articles:section-feed-rss"

    def get_subject(self, slug):
        return Section.objects.filter(slug=slug).first() or self.renamed_subject(
            lookups.section_for_old_slug(slug)
        )

    def subject_articles(self, section):
        return Article.objects.published().filter(section=section)

    def subject_keys(self, section):
        return [keys.section_key(section.pk), keys.section_articles_key(section.pk)]

    def title(self, subject):
        return f"{subject.obj.name} — {settings.SITE_NAME}"

    def description(self, subject):
        return subject.obj.description or f"The latest from {subject.obj.name}."


class TagFeedMixin:
    url_name = "articles:tag-feed-rss"

    def get_subject(self, slug):
        # As the tag's page: a tag only drafts carry is not public yet (its name may give a story away).
        return public_tags().filter(slug=slug).first() or self.renamed_subject(lookups.tag_for_old_slug(slug))

    def subject_articles(self, tag):
        return Article.objects.published().filter(tags=tag)

    def subject_keys(self, tag):
        return [keys.tag_key(tag.pk), keys.tag_articles_key(tag.pk)]

    def link(self, subject):
        return tag_url(subject.obj)

    def title(self, subject):
        return f"{subject.obj.name} — {settings.SITE_NAME}"

    def description(self, subject):
        return f"Articles about {subject.obj.name}."


class AuthorFeedMixin:
    url_name = "articles:author-feed-rss"

    def get_subject(self, slug):
        return get_object_or_404(Author, slug=slug)

    def subject_articles(self, author):
        return Article.objects.published().filter(bylines__author=author)

    def subject_keys(self, author):
        return [keys.author_key(author.pk), keys.author_articles_key(author.pk)]

    def title(self, subject):
        return f"{subject.obj.name} — {settings.SITE_NAME}"

    def description(self, subject):
        return f"Articles by {subject.obj.name}."


class SectionRssFeed(SectionFeedMixin, ArticleFeed):
    pass


class SectionAtomFeed(SectionFeedMixin, ArticleAtomFeed):
    url_name = "articles:section-feed-atom"


class TagRssFeed(TagFeedMixin, ArticleFeed):
    pass


class TagAtomFeed(TagFeedMixin, ArticleAtomFeed):
    url_name = "articles:tag-feed-atom"


class AuthorRssFeed(AuthorFeedMixin, ArticleFeed):
    pass


class AuthorAtomFeed(AuthorFeedMixin, ArticleAtomFeed):
    url_name = "articles:author-feed-atom"
