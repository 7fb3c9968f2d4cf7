"""The body of an article: its vocabulary, the sanitizer that holds it, and embeds."""

from .sanitize import sanitize_body, without_control_characters

__all__ = ["sanitize_body", "without_control_characters"]
