from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView
from taggit.models import Tag

from . import renames
from .cache import cache_reader_page
from .forms import SearchForm
from .models import Article, Author, Correction, Section
from .pagination import paginate
from .related import related_block
from .search import parse_query, search_articles
from .sitemaps import NewsSitemap, news_language

HOME_LATEST_COUNT = 10
HOME_PER_SECTION = 4


@cache_reader_page
def home(request):
    published = Article.objects.published().with_card_relations()
    cover_story = published.filter(featured=True).latest_first().first()
    if cover_story is None:
        cover_story = published.latest_first().first()
    others = published.exclude(pk=cover_story.pk) if cover_story else published
    latest = list(others.latest_first()[:HOME_LATEST_COUNT])

    section_rows = others.filter(section__show_in_navigation=True).latest_per_section(HOME_PER_SECTION)
    by_section = {}
    for article in section_rows.order_by("section__position", "section__name", "-published_at", "-pk"):
        by_section.setdefault(article.section, []).append(article)
    return render(
        request,
        "articles/home.html",
        {
            "cover_story": cover_story,
            "latest_articles": latest,
            "section_blocks": list(by_section.items()),
        },
    )


@cache_reader_page
def section_detail(request, section_slug):
    section = Section.objects.filter(slug=section_slug).first()
    if section is None:
        renamed = renames.section_for_old_slug(section_slug)
        return redirect_renamed(renamed and renamed.get_absolute_url())
    articles = section.articles.published().with_card_relations().latest_first()
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page_obj": paginate(request, articles), "current_section_slug": section.slug},
    )


@cache_reader_page
def tag_detail(request, tag_slug):
    # A tag only drafts use is not public yet: its name may give a story away.
    tag = Tag.objects.filter(article__in=Article.objects.published(), slug=tag_slug).distinct().first()
    if tag is None:
        renamed = renames.tag_for_old_slug(tag_slug)
        return redirect_renamed(renamed and reverse("articles:tag", kwargs={"tag_slug": renamed.slug}))
    articles = Article.objects.published().filter(tags=tag).with_card_relations().latest_first()
    return render(
        request,
        "articles/tag_detail.html",
        {"tag": tag, "page_obj": paginate(request, articles)},
    )


@cache_reader_page
def author_detail(request, author_slug):
    author = get_object_or_404(Author, slug=author_slug)
    articles = Article.objects.published().filter(bylines__author=author).with_card_relations().latest_first()
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, "page_obj": paginate(request, articles)},
    )


@cache_reader_page
def article_detail(request, section_slug, article_slug):
    article = (
        Article.objects.published()
        .with_page_relations()
        .filter(slug=article_slug, section__slug=section_slug)
        .first()
    )
    if article is None:
        # The right slug under another section (moved, or a hand-typed URL).
        moved = Article.objects.published().select_related("section").filter(slug=article_slug).first()
        if moved is not None:
            return redirect(moved, permanent=True)
        renamed = renames.article_for_old_slug(article_slug)
        if renamed is not None:
            return redirect(renamed, permanent=True)
        return gone_or_404(request, article_slug)
    return render(request, "articles/article_detail.html", article_page_context(article))


def article_page_context(article):
    """What the article template needs; ``article`` comes from with_page_relations()."""
    return {
        "article": article,
        "reading_next": related_block(article),
        "current_section_slug": article.section.slug,
    }


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
    if gone.redirect_url:
        return redirect(gone.redirect_url, permanent=True)
    return render(request, "410.html", {"article": gone}, status=410)


@cache_reader_page
def corrections(request):
    notes = (
        Correction.objects.on_published_articles()
        .select_related("article__section")
        .order_by("-created_at", "-pk")
    )
    return render(request, "articles/corrections.html", {"page_obj": paginate(request, notes)})


@method_decorator(cache_reader_page, name="dispatch")
class TagIndexView(TemplateView):
    template_name = "articles/tag_index.html"

    def get_context_data(self, **kwargs):
        tags = (
            Tag.objects.filter(article__in=Article.objects.published())
            .annotate(article_count=Count("article", distinct=True))
            .order_by("-article_count", "name")[:200]
        )
        return super().get_context_data(tags=tags, **kwargs)


@cache_reader_page
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


def search(request):
    """Ranked full-text search of published articles; any query gets a page, never an error."""
    form = SearchForm(request.GET or None)
    query = parse_query(request.GET.get("q", ""))
    page_obj = None
    if form.is_bound and form.is_valid() and query.is_searchable:
        page_obj = paginate(request, search_articles(query, **form.filters()))
    return render(request, "articles/search.html", {"form": form, "query": query, "page_obj": page_obj})
