from django import template

from ..pictures import picture_html

register = template.Library()


@register.simple_tag
def picture(image, role, sizes=None, main=False, css_class="", alt=None):
    """``{% picture article.lead_image "lead" main=True %}``: responsive <picture> markup (images/pictures.py)."""
    return picture_html(image, role, sizes=sizes, main=main, css_class=css_class, alt=alt)
