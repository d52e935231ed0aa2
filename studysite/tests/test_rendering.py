"""Markdown with LaTeX becomes MathML, and nothing in content can inject script."""

from __future__ import annotations

import pytest

from studysite.rendering import render_markdown


def test_inline_and_display_math_become_mathml() -> None:
    html = render_markdown("Gradient $\\rho^k$ here.\n\n$$\\sigma(b_f)^T$$")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert 'display="block"' in html
    assert "<msup>" in html
    assert "$" not in html


def test_angle_bracket_superscripts_render_as_angle_brackets() -> None:
    html = render_markdown(r"$\mathbf{a}^{\left<t\right>}$")
    assert "\u27e8" in html
    assert "\u27e9" in html
    assert "&lt;" not in html


def test_aligned_environment_renders_as_a_table() -> None:
    html = render_markdown(r"$$\begin{aligned} a &= b \\ c &= d \end{aligned}$$")
    assert html.count("<mtr>") == 2


def test_bold_without_braces_keeps_the_bold_letter() -> None:
    assert "\U0001d416" in render_markdown(r"$\mathbf W_{aa}$")  # MATHEMATICAL BOLD CAPITAL W


def test_invalid_latex_is_shown_as_source_not_an_error() -> None:
    html = render_markdown(r"$\frac{1}{$")
    assert "math-error" in html or "<math" in html


def test_script_and_event_handlers_are_removed() -> None:
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[x](javascript:alert(1))'
    )
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html


def test_html_inside_text_mode_math_is_shown_as_text() -> None:
    """latex2mathml copies \\text{…} into <mtext> unescaped; a link or an open tag must not survive."""
    html = render_markdown(r'Sign in: $\text{<a href="https://evil.example">login</a>}$ here.')
    assert "<a " not in html
    assert "<mtext>&lt;a&nbsp;href=" in html
    html = render_markdown("$\\text{<img src=x>}$ and the rest\n\nNext paragraph.")
    assert "<img" not in html
    assert "<p>Next paragraph.</p>" in html
    assert "&amp;" in render_markdown(r"$\text{R&D}$")


def test_operators_outside_text_mode_are_unchanged() -> None:
    assert render_markdown(r"$a < b$") == render_markdown(r"$a \lt b$")
    assert "<mtext>x</mtext></mstyle><mo>&lt;</mo><mtext" in render_markdown(r"$\mbox{x}<\textbf{y}$")


@pytest.mark.usefixtures("seed")
def test_notes_are_drawn_when_loaded_and_the_page_only_copies_them(client, monkeypatch) -> None:
    """Fixtures load with raw saves; their HTML is drawn then, not on every view of the notes."""
    from studysite.models import NoteSection
    from studysite.templatetags import markdown as markdown_tags

    sections = list(NoteSection.objects.all())
    assert all(section.body_html for section in sections)
    assert any("<math" in section.body_html for section in sections)
    drawn = []
    original = markdown_tags.render_markdown
    monkeypatch.setattr(markdown_tags, "render_markdown", lambda text: drawn.append(text) or original(text))
    study_set = sections[0].study_set
    html = client.get(study_set.get_notes_url()).content.decode()
    assert sections[0].body_html in html
    assert not {section.body for section in sections} & set(drawn)
    section = sections[0]
    section.body = "Now *new*."
    section.save(update_fields=["body"])
    section.refresh_from_db()
    assert section.body_html == "<p>Now <em>new</em>.</p>\n"


def test_bold_words_and_letters_use_unicode_bold_which_mathml_core_draws() -> None:
    """Chromium ignores mathvariant="bold": \\mathbf{target} came out italic beside a bold y."""
    html = render_markdown(r"$\mathbf y - \mathbf{target} + \mathbf{W}_1$")
    assert "mathvariant" not in html
    assert "<mi>\U0001d42d</mi><mi>\U0001d41a</mi>" in html  # bold t and a of target, upright
    assert "\U0001d432" in html  # bold y


def test_a_scripted_closing_fence_keeps_its_size() -> None:
    """‖…‖²: the closing ‖ as the base of the square sank below the baseline, stretched to the row."""
    html = render_markdown(r"$\lVert x \rVert^2$")
    assert '<msup><mo stretchy="false">' in html


@pytest.mark.usefixtures("seed")
def test_redraw_html_updates_stored_html_after_a_renderer_change() -> None:
    from io import StringIO

    from django.core.management import call_command

    from flashcards.models import Card

    Card.objects.update(front_html="stale")
    out = StringIO()
    call_command("redraw_html", stdout=out)
    assert "cards: 42 of 42 redrawn" in out.getvalue()
    assert not Card.objects.filter(front_html="stale").exists()
    call_command("redraw_html", stdout=out)
    assert "cards: 0 of 42 redrawn" in out.getvalue()
