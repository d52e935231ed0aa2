"""Moodle XML, the parts every question type shares: text elements and answers with their feedback."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import nh3

from .file_errors import FileError

PLOT_TAG = "studysite-plot: "  # a question tag holding the explanation's plot spec, as JSON


def text_element(parent: ET.Element, tag: str, text: str, fmt: str | None = "markdown") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def answer_element(parent: ET.Element, text: str, fraction: float, feedback: str) -> ET.Element:
    """An <answer> with its fraction in percent (Moodle writes whole numbers where it can)."""
    answer = text_element(parent, "answer", text)
    answer.set("fraction", f"{fraction:g}")
    text_element(answer, "feedback", feedback)
    return answer


def text_of(node: ET.Element | None, tag: str = "") -> str:
    """The text of ``node`` (or of its child ``tag``) as Markdown: HTML is read as its text."""
    element = node.find(tag) if tag and node is not None else node
    if element is None:
        return ""
    text = element.findtext("text") or ""
    if element.get("format") == "html":
        text = html.unescape(nh3.clean(re.sub(r"<br\s*/?>|</p>", "\n", text), tags=set()))
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def answers_of(node: ET.Element) -> list[tuple[str, float, str, ET.Element]]:
    """Each <answer> as (text, fraction in percent, feedback, the element)."""
    answers = []
    for answer in node.findall("answer"):
        try:
            fraction = float(answer.get("fraction", "0"))
        except ValueError:
            raise FileError(f"an answer's fraction {answer.get('fraction')!r} is not a number") from None
        answers.append((text_of(answer), fraction, text_of(answer, "feedback"), answer))
    return answers
