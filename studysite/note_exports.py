"""Notes out of StudySite as rows of front and back, and the writers both apps use for them.

A deck's cards and a quiz's questions both leave as these rows: CSV, Quizlet-style TSV, and Anki
packages with their plots as media. Each row keeps its GUID, so importing it again updates it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import genanki

from rnnsim.figures import exported_png, spec_from_json
from studysite.exchange import neutralise_cell
from studysite.rendering import markdown_parser, plain_text, sanitise

ANKI_MODEL_NAME = "StudySite basic (front/back)"


def stable_id(*parts: str) -> int:
    """A 31-bit id that is the same on every export: Anki keys models and decks by these."""
    return int(hashlib.sha256(":".join(parts).encode()).hexdigest()[:8], 16) >> 1


@dataclass(frozen=True)
class NoteRow:
    """One exported note, whatever it came from: a card, or a quiz question turned into a card."""

    guid: str
    front: str  # Markdown with LaTeX
    back: str
    tags: list[str]
    plot: object = None


def rows_csv(rows: list[NoteRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["front", "back", "tags", "guid"])
    for row in rows:
        writer.writerow(
            [neutralise_cell(cell) for cell in (row.front, row.back, " ".join(row.tags), row.guid)]
        )
    return buffer.getvalue()


def escape_tsv(text: str) -> str:
    """Quizlet reads one card per line and a tab between term and definition, so escape both."""
    escaped = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r\n", "\\n")
    return escaped.replace("\n", "\\n").replace("\r", "\\r")


def rows_tsv(rows: list[NoteRow]) -> str:
    return "".join(
        f"{neutralise_cell(escape_tsv(plain_text(row.front)))}\t{neutralise_cell(escape_tsv(plain_text(row.back)))}\n"
        for row in rows
    )


def anki_math(latex: str, *, display: bool) -> str:
    """LaTeX for Anki's MathJax: \\( \\) inline, \\[ \\] displayed; < and > escaped for the HTML field."""
    latex = latex.strip().replace("<", "&lt;").replace(">", "&gt;")
    return f"\\[{latex}\\]" if display else f"\\({latex}\\)"


ANKI_MARKDOWN = markdown_parser(anki_math)


def anki_html(text: str) -> str:
    """Markdown to sanitised HTML with LaTeX left for Anki's MathJax, between \\( \\) and \\[ \\]."""
    return str(sanitise(ANKI_MARKDOWN.render(text))).strip()


def anki_model() -> genanki.Model:
    return genanki.Model(
        stable_id("studysite", "model", ANKI_MODEL_NAME),
        ANKI_MODEL_NAME,
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
            }
        ],
        css=".card { font-family: sans-serif; font-size: 20px; text-align: left; } img { max-width: 100%; }",
    )


def rows_apkg(title: str, identity: str, rows: list[NoteRow]) -> bytes:
    """An Anki package: notes keyed by GUID, tags kept, plots as media files referenced by name."""
    model = anki_model()
    package_deck = genanki.Deck(stable_id("studysite", "deck", identity), title)
    with tempfile.TemporaryDirectory() as workdir:
        media = []
        for card in rows:
            back = anki_html(card.back)
            spec = spec_from_json(card.plot)
            if spec is not None:
                plot, png = exported_png(spec)
                name = f"studysite-{plot.key[:16]}.png"
                path = Path(workdir) / name
                if not path.exists():
                    path.write_bytes(png)
                    media.append(str(path))
                # The image carries no title (the site shows it as the caption), so the card says it.
                back += anki_html(f"**{plot.title}**")
                back += f'<p><img src="{name}" alt="{escape_attribute(plot.alt)}"></p>'
            package_deck.add_note(
                genanki.Note(
                    model=model, fields=[anki_html(card.front), back], tags=card.tags, guid=card.guid
                )
            )
        output = Path(workdir) / "deck.apkg"
        genanki.Package(package_deck, media_files=media).write_to_file(str(output))
        return output.read_bytes()


def escape_attribute(text: str) -> str:
    return re.sub(r'["<>&]', lambda m: {"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;"}[m[0]], text)
