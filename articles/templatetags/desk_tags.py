"""The editor's desk on the admin's front page (the queries live in articles/editorial/desk.py)."""

from django import template

from articles.editorial.desk import desk_for

register = template.Library()


@register.inclusion_tag("admin/desk.html", takes_context=True)
def editors_desk(context):
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"desk": None}
    return {"desk": desk_for(user), "user": user, "perms": context.get("perms")}
