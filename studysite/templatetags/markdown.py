from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from studysite.rendering import render_markdown, render_markdown_inline

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """``{{ question.text|markdown }}``: Markdown and LaTeX to sanitised HTML."""
    return render_markdown(text or "")


@register.filter(name="markdown_inline")
def markdown_inline_filter(text: str) -> SafeString:
    """``{{ choice.text|markdown_inline }}``: one line, no paragraph, for headings and labels."""
    return render_markdown_inline(text or "")
