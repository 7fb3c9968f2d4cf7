from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView
from taggit.models import Tag

from ..lasting_urls import lookups
from ..models import Article, Author, Correction, Section, public_tags, tag_url
from ..pagecache import cache_reader_page, depends_on, keys
from ..search import parse_query, search_articles
from .cards import list_cards
from .forms import SearchForm
from .pages import article_page_context
from .pagination import paginate
from .sitemaps import NewsSitemap, news_language

HOME_LATEST_COUNT = 10
HOME_PER_SECTION = 4


@cache_reader_page
def home(request):
    """The cover story, the latest articles and a block per navigation section.

    Every list is a small indexed query (six queries in all, whatever the size of
    the archive): ids first, then the cards of all of them in one go.
    """
    published = Article.objects.published()
    cover_id = published.filter(featured=True).latest_first().values_list("pk", flat=True).first()
    # One more than shown: with no featured article, the newest is the cover story.
    latest_ids = list(published.latest_first().values_list("pk", flat=True)[: HOME_LATEST_COUNT + 2])
    if cover_id is None and latest_ids:
        cover_id = latest_ids[0]
    latest_ids = [pk for pk in latest_ids if pk != cover_id][:HOME_LATEST_COUNT]
    sections = list(Section.objects.filter(show_in_navigation=True))
    block_ids = [
        pk
        for pk in published.latest_ids_per_section([section.pk for section in sections], HOME_PER_SECTION + 1)
        if pk != cover_id
    ]
    shown = {cover_id, *latest_ids, *block_ids} - {None}
    cards = {
        article.pk: article
        for article in Article.objects.filter(pk__in=shown).order_by().with_card_relations()
    }

    depends_on(keys.HOME, keys.shown_articles(cards.values()))
    by_section = {section.pk: [] for section in sections}
    for article in sorted((cards[pk] for pk in block_ids if pk in cards), key=newest_first, reverse=True):
        if len(by_section[article.section_id]) == HOME_PER_SECTION:
            continue
        by_section[article.section_id].append(article)
    return render(
        request,
        "articles/home.html",
        {
            "cover_story": cards.get(cover_id),
            "latest_articles": [cards[pk] for pk in latest_ids if pk in cards],
            "section_blocks": [
                (section, by_section[section.pk]) for section in sections if by_section[section.pk]
            ],
            # The navigation shows these same sections (context_processors.site): no second query.
            "navigation_sections": sections,
        },
    )


def newest_first(article):
    return (article.published_at, article.pk)


@cache_reader_page
def section_detail(request, section_slug):
    section = Section.objects.filter(slug=section_slug).first()
    if section is None:
        renamed = lookups.section_for_old_slug(section_slug)
        return redirect_renamed(renamed and renamed.get_absolute_url())
    page_obj = paginate(request, section.articles.published().latest_first().values_list("pk", flat=True))
    depends_on(keys.section_key(section.pk), keys.section_articles_key(section.pk))
    return render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "page_obj": page_obj,
            "cards": list_cards(page_obj.object_list, in_section=True),
            "current_section_slug": section.slug,
        },
    )


@cache_reader_page
def tag_detail(request, tag_slug):
    tag = public_tags().filter(slug=tag_slug).first()
    if tag is None:
        renamed = lookups.tag_for_old_slug(tag_slug)
        return redirect_renamed(renamed and tag_url(renamed))
    page_obj = paginate(
        request, Article.objects.published().filter(tags=tag).latest_first().values_list("pk", flat=True)
    )
    depends_on(keys.tag_key(tag.pk), keys.tag_articles_key(tag.pk))
    return render(
        request,
        "articles/tag_detail.html",
        {"tag": tag, "page_obj": page_obj, "cards": list_cards(page_obj.object_list)},
    )


@cache_reader_page
def author_detail(request, author_slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=author_slug)
    articles = Article.objects.published().filter(bylines__author=author).latest_first()
    page_obj = paginate(request, articles.values_list("pk", flat=True))
    depends_on(keys.author_key(author.pk), keys.author_articles_key(author.pk))
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, "page_obj": page_obj, "cards": list_cards(page_obj.object_list)},
    )


@cache_reader_page(lifetime="ARTICLE_PAGE_CACHE_SECONDS")
def article_detail(request, section_slug, article_slug):
    # The row alone: the rest of the page is in its fragment, or prefetched when that is built.
    article = (
        Article.objects.published()
        .with_own_row()
        .filter(slug=article_slug, section__slug=section_slug)
        .first()
    )
    if article is None:
        # The right slug under another section (moved, or a hand-typed URL).
        moved = Article.objects.published().select_related("section").filter(slug=article_slug).first()
        if moved is not None:
            return redirect(moved, permanent=True)
        renamed = lookups.article_for_old_slug(article_slug)
        if renamed is not None:
            return redirect(renamed, permanent=True)
        return gone_or_404(request, article_slug)
    return render(request, "articles/article_detail.html", article_page_context(article))


def redirect_renamed(url):
    """301 to where a renamed or merged section or tag lives now; 404 when nothing had that slug."""
    if url is None:
        raise Http404("No such page")
    return redirect(url, permanent=True)


def gone_or_404(request, article_slug):
    """A taken-down article answers 410 Gone, or the redirect its editor chose; others 404."""
    gone = Article.objects.gone().filter(slug=article_slug).first()
    if gone is None:
        raise Http404("No such article")
    if gone.has_followable_redirect():
        return redirect(gone.redirect_url, permanent=True)
    return render(request, "410.html", {"article": gone}, status=410)


@cache_reader_page
def corrections(request):
    notes = (
        Correction.objects.on_published_articles()
        .select_related("article__section")
        .order_by("-created_at", "-pk")
    )
    page_obj = paginate(request, notes)
    depends_on(keys.CORRECTIONS, {keys.article_key(note.article_id) for note in page_obj.object_list})
    return render(request, "articles/corrections.html", {"page_obj": page_obj})


@method_decorator(cache_reader_page(keys=[keys.TAG_INDEX]), name="dispatch")
class TagIndexView(TemplateView):
    template_name = "articles/tag_index.html"

    def get_context_data(self, **kwargs):
        tags = (
            Tag.objects.filter(article__in=Article.objects.published())
            .annotate(article_count=Count("article", distinct=True))
            .order_by("-article_count", "name")[:200]
        )
        return super().get_context_data(tags=tags, **kwargs)


@cache_reader_page(keys=[keys.SITEMAPS])
def news_sitemap(request):
    """The Google News sitemap: articles of the last 48 hours (valid XML when there are none)."""
    return render(
        request,
        "sitemaps/news.xml",
        {
            "articles": NewsSitemap().items(),
            "base_url": request.build_absolute_uri("/").rstrip("/"),
            "news_language": news_language(),
        },
        content_type="application/xml",
    )


@cache_reader_page
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {
            "sitemap_url": request.build_absolute_uri(reverse("articles:sitemap")),
            "news_sitemap_url": request.build_absolute_uri(reverse("articles:sitemap-news")),
        },
        content_type="text/plain; charset=utf-8",
    )


@cache_reader_page(keys=[keys.SEARCH], parameters=(*SearchForm.base_fields, "page"))
def search(request):
    """Ranked full-text search of published articles; any query gets a page, never an error.

    Kept in the page cache per query, filters and page: its keys are those of the results
    shown and ``search``, which publishing or taking down any article changes.
    """
    form = SearchForm(request.GET or None)
    query = parse_query(request.GET.get("q", ""))
    page_obj = None
    if form.is_bound and form.is_valid() and query.is_searchable:
        page_obj = paginate(request, search_articles(query, **form.filters()))
        results = list(page_obj.object_list)
        depends_on(
            keys.shown_articles(results), (keys.section_key(article.section_id) for article in results)
        )
    return render(request, "articles/search.html", {"form": form, "query": query, "page_obj": page_obj})
