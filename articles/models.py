from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .sanitize import sanitize_body, without_control_characters

# Top-level URL segments that a section slug may not take: sections live at
# /<section-slug>/, beside these routes.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin", "author", "authors", "corrections", "feeds", "media", "preview",
        "robots.txt", "search", "sitemap.xml", "static", "tag", "tags",
    }
)  # fmt: skip


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by another part of the site; choose another slug.",
            params={"slug": value},
        )


def validate_redirect_target(value):
    if not (value.startswith("/") and not value.startswith("//")) and not value.startswith(
        ("https://", "http://")
    ):
        raise ValidationError("Enter a path on this site starting with “/”, or a full http(s):// address.")


def unique_slug(model, text, *, instance_pk=None, max_length=200, fallback="item"):
    """A unicode slug of ``text`` that no other row of ``model`` uses yet (-2, -3... added)."""
    base = slugify(text, allow_unicode=True)[: max_length - 6].strip("-") or fallback
    candidate, n = base, 1
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True, help_text="As readers see it, e.g. “Cover Story”.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        allow_unicode=True,
        validators=[validate_section_slug],
        help_text="The section's address: /<slug>/. Changing it changes every article URL in it; "
        "the old addresses keep redirecting to the new ones.",
    )
    description = models.TextField(blank=True, help_text="One or two sentences shown on the section page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the navigation menu; lower comes first."
    )
    show_in_navigation = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"section_slug": self.slug})


class Author(models.Model):
    """A byline. Not a login: guest writers and wire services have bylines too."""

    name = models.CharField(max_length=120, help_text="Display name, e.g. “Maria Lopez” or “Wire Service”.")
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    bio = models.TextField(blank=True, help_text="A short biography shown on the author's page.")
    photo = models.ImageField(upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff login of this writer, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"author_slug": self.slug})


SEARCH_INDEX_FIELDS = ("search_vector", "search_pairs")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, not scheduled for later, and not in the trash."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now(), trashed_at__isnull=True
        )

    def scheduled(self):
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now(), trashed_at__isnull=True
        )

    def gone(self):
        """Articles readers could once see and no longer may: unpublished, or published then trashed.

        Their URLs answer 410 Gone (or the editor's redirect) instead of a bare 404.
        """
        was_live = Q(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())
        return self.filter(Q(status=Article.Status.UNPUBLISHED) | (was_live & Q(trashed_at__isnull=False)))

    def active(self):
        """Not in the trash."""
        return self.filter(trashed_at__isnull=True)

    def trashed(self):
        return self.filter(trashed_at__isnull=False)

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def with_card_relations(self):
        """Everything an article card shows: section and ordered bylines.

        Not the search index's columns: only the database reads them, and each holds
        kilobytes per article.
        """
        return (
            self.defer(*SEARCH_INDEX_FIELDS)
            .select_related("section")
            .prefetch_related(
                Prefetch(
                    "bylines", queryset=Byline.objects.select_related("author").order_by("position", "pk")
                )
            )
        )

    def with_page_relations(self):
        """Everything the article page shows, in a fixed number of queries (related articles: related.py)."""
        # Tags come through their links, each with the tag's frequency (articles/related.py weighs them).
        tagged_items = TaggedArticle.objects.with_tag_frequency().select_related("tag").order_by("tag__name")
        return (
            self.with_card_relations()
            .prefetch_related(
                Prefetch("tagged_items", queryset=tagged_items),
                "corrections",
            )
            .with_section_neighbours()
        )

    def with_section_neighbours(self):
        """Annotate the previous and next published article of the same section (title and slug).

        Strictly earlier and later: two articles published at the very same moment are
        not each other's neighbours (an OR on the id would keep SQLite off the index).
        """
        same_section = Article.objects.published().filter(section_id=OuterRef("section_id"))
        earlier = same_section.filter(published_at__lt=OuterRef("published_at")).order_by(
            "-published_at", "-pk"
        )
        later = same_section.filter(published_at__gt=OuterRef("published_at")).order_by("published_at", "pk")
        return self.annotate(
            previous_title=Subquery(earlier.values("title")[:1]),
            previous_slug=Subquery(earlier.values("slug")[:1]),
            next_title=Subquery(later.values("title")[:1]),
            next_slug=Subquery(later.values("slug")[:1]),
        )

    def latest_per_section(self, per_section):
        """The ``per_section`` latest articles of every section, in one query."""
        ranked = self.annotate(
            section_rank=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        return ranked.filter(section_rank__lte=per_section)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    title = models.CharField(max_length=200, help_text="The headline.")
    slug = models.SlugField(
        max_length=220,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Part of the article's address. Left empty, it is made from the headline.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    kicker = models.CharField(
        max_length=60,
        blank=True,
        help_text="Short label above the headline, e.g. “Exclusive”. Empty shows the section's name.",
    )
    dek = models.TextField(
        "standfirst",
        blank=True,
        help_text="One or two sentences under the headline; also the summary in lists and feeds.",
    )
    body = ProseEditorField(
        extensions={
            "Bold": True,
            "Italic": True,
            "Strike": True,
            "Subscript": True,
            "Superscript": True,
            "Heading": {"levels": [2, 3, 4]},
            "BulletList": True,
            "ListItem": True,
            "OrderedList": True,
            "Blockquote": True,
            "HorizontalRule": True,
            "HardBreak": True,
            "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
            "History": True,
        },
        sanitize=True,
        blank=True,
    )
    lead_image = models.ImageField(
        upload_to="lead-images/%Y/%m/",
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
    )
    # Stored on upload so that pages can size the image without opening the file.
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_alt = models.CharField(
        "lead image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for readers who cannot see it. Required with an image.",
    )
    lead_image_caption = models.CharField(max_length=300, blank=True)
    lead_image_credit = models.CharField(max_length=120, blank=True, help_text="E.g. “Photo: Jane Doe”.")
    seo_title = models.CharField(
        "headline for search and sharing",
        max_length=110,
        blank=True,
        help_text="Shown by search engines and social networks instead of the headline, e.g. a plainer, "
        "keyword-first version. Empty uses the headline.",
    )
    seo_description = models.CharField(
        "summary for search and sharing",
        max_length=300,
        blank=True,
        help_text="One or two sentences (about 155 characters) under the title in search results. "
        "Empty uses the standfirst.",
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    tags = TaggableManager(through="TaggedArticle", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="When readers may see it. A future time schedules the article. "
        "Empty when published means now.",
    )
    featured = models.BooleanField(
        "cover story", default=False, help_text="Show large at the top of the home page."
    )
    related_articles = models.ManyToManyField(
        "self",
        through="RelatedLink",
        through_fields=("from_article", "to_article"),
        symmetrical=False,
        related_name="+",
        blank=True,
    )
    suggest_related = models.BooleanField(
        "suggest related articles",
        default=True,
        help_text="Fill the “Related Articles” block with automatic suggestions after your picks. "
        "Turn off to show your picks only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who started the article; a writer may edit their own drafts.",
    )
    # Optimistic locking: every save through the admin claims version N+1 in one
    # UPDATE ... WHERE version = N, so a stale form can never overwrite newer work.
    version = models.PositiveIntegerField(default=1, editable=False)
    trashed_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    redirect_url = models.CharField(
        "redirect when gone",
        max_length=500,
        blank=True,
        validators=[validate_redirect_target],
        help_text="Where readers go once the article is unpublished or deleted, e.g. "
        "“/city/council-votes-again/”. Empty: readers get a “410 Gone” page.",
    )
    # PostgreSQL's full-text index (articles/search.py), kept current on save. Its
    # GIN index is made by the search_index migration on PostgreSQL only: declared in Meta it
    # would break SQLite, which gets an FTS5 table instead (ArticleSearchEntry).
    search_vector = SearchVectorField(null=True, editable=False)
    # PostgreSQL only: every pair of neighbouring words of search_vector ("sea wall"),
    # so that a quoted phrase is looked up in an index instead of checking the
    # positions of every article that holds all its words (articles/search.py).
    search_pairs = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("edit_any_article", "Can edit anyone's articles, including published ones"),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_published"),
            models.Index(fields=["section", "status", "published_at"], name="article_section_published"),
            # The newest public articles without reading the table: search ranks broad queries among them.
            models.Index(
                fields=["-published_at"],
                condition=Q(status="published", trashed_at__isnull=True),
                name="article_public_newest",
            ),
        ]

    def __str__(self):
        return self.title

    PLAIN_TEXT_FIELDS = ("title", "kicker", "dek", "seo_title", "seo_description", "lead_image_alt",
                         "lead_image_caption", "lead_image_credit")  # fmt: skip

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        for name in self.PLAIN_TEXT_FIELDS:
            setattr(self, name, without_control_characters(getattr(self, name)))
        if not self.slug:
            self.slug = unique_slug(
                Article, self.title, instance_pk=self.pk, max_length=220, fallback="article"
            )
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "articles:article",
            kwargs={"section_slug": self.section.slug, "article_slug": self.slug},
        )

    @property
    def label(self):
        """The line above the headline: the kicker, or the section's name."""
        return self.kicker or self.section.name

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def state_label(self):
        """The status as an editor thinks of it: a published article in the future is scheduled."""
        if self.trashed_at:
            return "In the trash"
        if self.status == self.Status.PUBLISHED and not self.is_published:
            return "Scheduled"
        return self.get_status_display()

    @property
    def last_corrected_at(self):
        """When the newest correction or update note was added (None: never)."""
        notes = self.corrections.all()
        return max((note.created_at for note in notes), default=None)

    @property
    def tag_list(self):
        """The article's tags, by name (from the page's prefetch of ``tagged_items``)."""
        return [item.tag for item in self.tagged_items.all()]

    @property
    def meta_title(self):
        """The title for search engines and social networks: the editor's override, or the headline."""
        return self.seo_title or self.title

    @property
    def meta_description(self):
        """The description for search results and shares: the override, the standfirst, or the headline."""
        return self.seo_description or self.dek or self.title

    @property
    def modified_at(self):
        """The last change readers could see: never before the publish time."""
        return max(filter(None, [self.updated_at, self.published_at]), default=None)

    @property
    def was_updated(self):
        """Edited meaningfully after it went out (more than a few minutes later)."""
        if not self.published_at or not self.updated_at:
            return False
        return (self.updated_at - self.published_at).total_seconds() > 300

    def clean(self):
        super().clean()
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {"lead_image_alt": "Describe the lead image for readers who cannot see it."}
            )


class Byline(models.Model):
    """An author on an article, in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]

    def __str__(self):
        return str(self.author)


class TaggedArticleQuerySet(models.QuerySet):
    def with_tag_frequency(self):
        """Annotate ``tag_frequency`` (how many articles carry the tag) and ``archive_size``.

        The archive size is the span of article ids, the articles written since the
        oldest one kept: two index lookups, where a COUNT would read the whole table
        (about 90 ms on PostgreSQL at 100,000 articles).
        """
        frequency = (
            TaggedArticle.objects.filter(tag_id=OuterRef("tag_id"))
            .order_by()
            .values("tag_id")
            .annotate(n=Count("pk"))
        )
        newest = Subquery(Article.objects.order_by("-pk").values("pk")[:1])
        oldest = Subquery(Article.objects.order_by("pk").values("pk")[:1])
        return self.annotate(
            tag_frequency=Subquery(frequency.values("n")),
            archive_size=newest - oldest + 1,
        )


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="tagged_items")

    objects = TaggedArticleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggedarticle_unique_tag"),
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="taggedarticle_tag_article")]


class RelatedLink(models.Model):
    """An editor's pick: ``to_article`` is shown under ``from_article``, in order."""

    from_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    to_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="linked_from")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["from_article", "to_article"], name="relatedlink_unique_pair"),
            models.CheckConstraint(condition=~Q(from_article=F("to_article")), name="relatedlink_not_self"),
        ]

    def __str__(self):
        return f"Related: {self.to_article}"

    def clean(self):
        if self.from_article_id and self.from_article_id == self.to_article_id:
            raise ValidationError({"to_article": "An article cannot be related to itself."})


# The workflow's own models live beside the content model, in a module of their own.
from .editorial_models import AuditEvent, Correction, PreviewLink  # noqa: E402, F401


class FullTextDocumentField(models.TextField):
    """The hidden FTS5 column that bears its table's name: the left side of MATCH."""


@FullTextDocumentField.register_lookup
class FullTextMatch(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ArticleSearchEntry(models.Model):
    """A row of SQLite's full-text index of articles (an FTS5 table; rowid = article id).

    The table is created by the search_index migration on SQLite only; on PostgreSQL this
    model is never queried (Article.search_vector is used instead).
    """

    article = models.OneToOneField(
        Article, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, related_name="search_entry"
    )
    title = models.TextField()
    dek = models.TextField()
    body = models.TextField(help_text="The body as plain text.")
    document = FullTextDocumentField(db_column="articles_article_fts")
    rank = models.FloatField(
        db_column="rank", help_text="bm25 with the title weighing most; lower is better."
    )

    class Meta:
        managed = False
        db_table = "articles_article_fts"

    def __str__(self):
        return self.title


from .url_history import ArticleSlugHistory, SectionSlugHistory, TagSlugHistory  # noqa: E402, F401
