"""Moodle XML, the parts every question type shares: text elements and answers with their feedback."""

from __future__ import annotations

import xml.etree.ElementTree as ET


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
