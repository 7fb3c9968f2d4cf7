"""``{{ article.body|reader_body }}``: the body as reader pages show it (articles/body/render.py)."""

from django import template

from articles.body.render import reader_body as render_reader_body

register = template.Library()


@register.filter
def reader_body(body):
    return render_reader_body(body)


@register.filter
def has_embeds(body):
    """Whether the page needs static/js/embeds.js (no script on pages without embeds)."""
    return 'class="embed"' in (body or "")
