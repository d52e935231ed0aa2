"""Moodle's GIFT text format, the parts every question type shares: escapes, splitting, blocks, markers.

Each question type maps its own answers to and from GIFT (quizzes.qtypes); this module only knows text.
"""

from __future__ import annotations

import html
import re

import nh3

GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def gift_escape(text: str) -> str:
    """GIFT gives ~ = # { } : a meaning; a backslash makes each literal, LaTeX braces included."""
    return GIFT_SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


GIFT_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def gift_unescape(text: str) -> str:
    return GIFT_ESCAPE.sub(lambda m: "\n" if m[1] == "n" else m[1], text).strip()


def gift_split(text: str, separators: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters, returning (separator, text) pairs."""
    parts, current, mark, escaped = [], [], "", False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in separators:
            parts.append((mark, "".join(current)))
            mark, current = char, []
        else:
            current.append(char)
    parts.append((mark, "".join(current)))
    return parts


FORMAT_MARKER = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
BLANK = "_____"  # Moodle's "missing word": text after the answers means the answers fill a gap


def gift_blocks(text: str) -> list[tuple[int, str]]:
    """Questions as (first line number, source): blank lines separate them; comments and commands go.

    Line numbers count every line of the file, comments included, so messages point where an editor does.
    """
    blocks, block, start = [], [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY:"):
            continue
        if not stripped:
            if block:
                blocks.append((start, "\n".join(block)))
                block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        blocks.append((start, "\n".join(block)))
    return blocks


def formatted(text: str) -> str:
    """GIFT text with its format marker applied: Markdown and plain text as they are, HTML as its text."""
    match = FORMAT_MARKER.match(text)
    if match is None:
        return gift_unescape(text)
    body = gift_unescape(text[match.end() :])
    if match[1].lower() == "html":
        body = html.unescape(nh3.clean(body, tags=set()))
    return body.strip()


def gift_label(name: str, head: str) -> str:
    """A question by its ::name::, or else by its first words, as an instructor would find it."""
    if name:
        return f'"{name}"'
    words = gift_unescape(FORMAT_MARKER.sub("", head)).split()
    return '"' + " ".join(words[:6]) + (" …" if len(words) > 6 else "") + '"'
