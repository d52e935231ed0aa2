"""Markdown with LaTeX to sanitised HTML, rendered on the server so math needs no JavaScript.

Math between ``$ … $`` (inline) or ``$$ … $$`` (display) becomes MathML through latex2mathml;
the whole result then passes through nh3 so that content typed in admin or imported from a file
can never inject script.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import ClassVar

import latex2mathml.converter
import nh3
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pylatexenc.latex2text import LatexNodes2Text

MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "mtext", "mspace", "ms",
    "msub", "msup", "msubsup", "munder", "mover", "munderover", "mfrac", "msqrt", "mroot",
    "mstyle", "mtable", "mtr", "mtd", "mpadded", "mphantom", "menclose", "merror",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "display", "mathvariant", "stretchy", "fence", "form", "separator", "accent", "accentunder",
    "largeop", "movablelimits", "symmetric", "minsize", "maxsize", "lspace", "rspace", "width",
    "height", "depth", "linebreak", "columnalign", "columnspacing", "rowspacing", "rowalign",
    "displaystyle", "scriptlevel", "notation", "linethickness",
}  # fmt: skip
ALLOWED_TAGS = nh3.ALLOWED_TAGS | MATHML_TAGS
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
    "math": MATHML_ATTRIBUTES | {"xmlns"},
    "span": {"class"},
}

# latex2mathml lacks a few spellings that real notes use; rewrite them to ones it knows.
LATEX_REWRITES = [
    (re.compile(r"\\left\s*<"), r"\\left\\langle "),
    (re.compile(r"\\right\s*>"), r"\\right\\rangle "),
    (re.compile(r"\\begin\{aligned\}"), r"\\begin{align*}"),
    (re.compile(r"\\end\{aligned\}"), r"\\end{align*}"),
    # `\mathbf W` without braces loses its font in latex2mathml; `\mathbf{W}` keeps it.
    (re.compile(r"\\(mathbf|boldsymbol|mathrm|mathit)\s+([A-Za-z0-9])"), r"\\\1{\2}"),
]


TEXT_MODE = re.compile(r"\\(?:text[a-z]*|mbox|hbox)\s*")
HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_text_mode(latex: str) -> str:
    """HTML-escape the arguments of ``\\text{…}`` and its kin, which latex2mathml copies into ``<mtext>`` raw.

    Elsewhere in a formula ``<``, ``>`` and ``&`` are operators and alignment marks that latex2mathml
    handles itself, so only text-mode arguments are touched.
    """
    out, position = [], 0
    for match in TEXT_MODE.finditer(latex):
        if match.start() < position:
            continue  # inside an argument already escaped
        start = match.end()
        end = argument_end(latex, start)
        out += [latex[position:start], latex[start:end].translate(HTML_ESCAPES)]
        position = end
    return "".join(out) + latex[position:]


def argument_end(latex: str, start: int) -> int:
    """Where the command argument starting at ``start`` ends: a balanced {…} group, or one character."""
    if start >= len(latex) or latex[start] != "{":
        return min(start + 1, len(latex))
    depth, index = 0, start
    while index < len(latex):
        char = latex[index]
        if char == "\\":
            index += 2
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        index += 1
        if depth == 0:
            break
    return index


def latex_to_mathml(latex: str, *, display: bool) -> str:
    """Convert one formula; a formula latex2mathml cannot parse is shown as its source, not an error."""
    for pattern, replacement in LATEX_REWRITES:
        latex = pattern.sub(replacement, latex)
    latex = escape_text_mode(latex)
    try:
        mathml = latex2mathml.converter.convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises assorted exception types on malformed input
        return f'<span class="math-error">{escape(latex)}</span>'
    return for_mathml_core(mathml)


# MathML Core, what Chromium draws, ignores mathvariant but "normal": styled letters must be the
# Unicode mathematical alphanumerics themselves (as latex2mathml already writes for \mathbf y alone).
MATHVARIANT_NAMES = {
    "bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "double-struck": "DOUBLE-STRUCK",
    "script": "SCRIPT", "fraktur": "FRAKTUR", "sans-serif": "SANS-SERIF", "monospace": "MONOSPACE",
}  # fmt: skip
STYLED_IDENTIFIER = re.compile(r'<mi mathvariant="([a-z-]+)">([A-Za-z0-9])</mi>')
# A fence as the base of a script (‖x‖², |x|²) would stretch to the whole row, scripts included, and
# sink below the baseline; it should keep its own size.
SCRIPTED_FENCE = re.compile(
    r"<(msup|msub|msubsup)><mo>(&#x02016;|&#x0007C;|&#x0221[34];|\)|\]|&#x027E9;)</mo>"
)


def styled_character(variant: str, char: str) -> str:
    name = MATHVARIANT_NAMES.get(variant)
    if name is None:
        return ""
    if char.isdigit():
        names = [f"MATHEMATICAL {name} DIGIT {unicodedata.name(char).split()[-1]}"]
    else:
        names = [f"MATHEMATICAL {name} {'CAPITAL' if char.isupper() else 'SMALL'} {char.upper()}"]
    try:
        return unicodedata.lookup(names[0])
    except KeyError:  # a few letters live in Letterlike Symbols under other names; leave those as they are
        return ""


def for_mathml_core(mathml: str) -> str:
    """Rewrite latex2mathml's output where MathML Core would draw it otherwise than LaTeX does."""

    def identifier(match: re.Match) -> str:
        styled = styled_character(match[1], match[2])
        return f"<mi>{styled}</mi>" if styled else match[0]

    mathml = STYLED_IDENTIFIER.sub(identifier, mathml)
    return SCRIPTED_FENCE.sub(r'<\1><mo stretchy="false">\2</mo>', mathml)


def markdown_parser(render_math: Callable[..., str]) -> MarkdownIt:
    """CommonMark with tables and $-delimited math, the math drawn by ``render_math(latex, display=…)``.

    Raw HTML in content is shown as text, never passed through; nh3 is the second line of defence.
    """

    def rule(*, display: bool, suffix: str = ""):
        def render(self, tokens, idx, options, env) -> str:
            return render_math(tokens[idx].content, display=display) + suffix

        return render

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.use(dollarmath_plugin, double_inline=True)
    parser.add_render_rule("math_inline", rule(display=False))
    parser.add_render_rule("math_inline_double", rule(display=True))
    parser.add_render_rule("math_block", rule(display=True, suffix="\n"))
    return parser


MARKDOWN = markdown_parser(latex_to_mathml)


MAX_FORMULA_CHARS = 2_000  # the longest formula in real notes is a few hundred characters


def formulas(text: str) -> Iterator[str]:
    """The LaTeX of every formula in a Markdown text, as the renderer will see it."""
    stack = list(MARKDOWN.parse(text))
    while stack:
        token = stack.pop()
        if token.type.startswith("math_"):
            yield token.content
        stack.extend(token.children or [])


def validate_formulas(text: str) -> None:
    """Refuse a formula too long to draw cheaply: math conversion cost grows faster than its length."""
    for formula in formulas(text or ""):
        if len(formula) > MAX_FORMULA_CHARS:
            raise ValidationError(
                "A formula has %(length)d characters; the limit is %(limit)d (it starts “%(start)s”).",
                code="formula_too_long",
                params={"length": len(formula), "limit": MAX_FORMULA_CHARS, "start": formula[:40]},
            )


def markdown_validators(max_chars: int) -> list:
    """The validators of a Markdown content field: its length and each formula's, in admin and import."""
    return [MaxLengthValidator(max_chars), validate_formulas]


def sanitise(html: str) -> SafeString:
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES))  # noqa: S308 - sanitised


class SanitisedHTMLField(models.TextField):
    """HTML that ``render_markdown`` wrote when its row was saved: read back as safe to put in a page."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection) -> SafeString | None:
        return None if value is None else mark_safe(value)  # noqa: S308 - sanitised when it was written


class RenderedMarkdownModel(models.Model):
    """A model whose Markdown fields are drawn once, when the row is saved or imported, never per view.

    ``rendered_fields`` maps each SanitisedHTMLField to the Markdown field it is drawn from, and
    whether it is drawn inline (no wrapping paragraph, for headings and labels). Every save draws
    them (fixtures' raw saves too, through the pre_save receiver below); bulk writes, which skip
    saving, call ``render()`` themselves; ``manage.py redraw_html`` redraws them all when this
    renderer changes.
    """

    rendered_fields: ClassVar[dict[str, tuple[str, bool]]] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and {source for source, _ in self.rendered_fields.values()} & set(fields):
            kwargs["update_fields"] = {*fields, *self.rendered_fields}
        super().save(*args, **kwargs)

    def render(self) -> None:
        for html_field, (source, inline) in self.rendered_fields.items():
            draw = render_markdown_inline if inline else render_markdown
            setattr(self, html_field, draw(getattr(self, source)))


@receiver(pre_save)
def render_before_saving(sender, instance, **kwargs) -> None:
    if isinstance(instance, RenderedMarkdownModel):
        instance.render()


# Where text is shown as it is (Quizlet, a status line): LaTeX's backslashes would show literally.
LATEX_TO_TEXT = LatexNodes2Text(math_mode="text")
PLAIN_MARKDOWN = markdown_parser(
    lambda latex, *, display: html.escape(LATEX_TO_TEXT.latex_to_text(latex.replace(r"\|", "‖")).strip())
)


def plain_text(markdown: str) -> str:
    """Markdown with math as readable plain text: emphasis and links dropped, ρ^k for $\\rho^k$."""
    rendered = PLAIN_MARKDOWN.render(markdown)
    rendered = re.sub(r"</(p|li|h[1-6]|tr)>|<br\s*/?>", "\n", rendered)
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@functools.lru_cache(maxsize=2048)
def render_markdown(text: str) -> SafeString:
    """Render Markdown with math to HTML that is safe to put in a page as it is."""
    return sanitise(MARKDOWN.render(text))


@functools.lru_cache(maxsize=2048)
def render_markdown_inline(text: str) -> SafeString:
    """Render one line of Markdown without a wrapping paragraph, for headings and choice labels."""
    return sanitise(MARKDOWN.renderInline(text))
