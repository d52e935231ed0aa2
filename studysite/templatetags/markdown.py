from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from studysite.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """``{{ question.text|markdown }}``: Markdown and LaTeX to sanitised HTML."""
    return render_markdown(text or "")
