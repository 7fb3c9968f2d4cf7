"""Running one editorial step on each selected row of an admin list, for its actions."""

from django.contrib import messages

from ..editorial import services


def apply_to_each(model_admin, request, items, step, *, done, noun, name=str):
    """Call ``step`` on each item; say how many went through, and why each refused one did not."""
    applied, refused = 0, []
    for item in items:
        try:
            step(item)
            applied += 1
        except services.WorkflowError as refusal:
            refused.append(f"“{name(item)}”: {refusal}")
    if applied:
        model_admin.message_user(request, f"{done}: {applied} {noun}(s).", messages.SUCCESS)
    for message in refused:
        model_admin.message_user(request, message, messages.ERROR)
