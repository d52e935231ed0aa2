"""Decks into StudySite from JSON (lossless), CSV or TSV: validated whole, saved in one transaction.

A bad file changes nothing, and every problem is reported with its line (or card number) and field.
Cards are matched by GUID, so importing the same file twice updates instead of duplicating.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from rnnsim.core.experiments import ParameterError
from rnnsim.figures import spec_from_json
from studysite.exchange import ImportRejected, checked, decode, load_json, save_study_set, section_anchors

from .exporting import FORMAT
from .models import Card, Deck

MAX_CARDS = 10_000
FORMATS = ("json", "csv", "tsv")


@dataclass
class Row:
    where: str  # "line 4" or "card 3"
    front: str
    back: str
    tags: str = ""
    guid: str = ""
    plot: object = None
    notes_section: str | None = None


@dataclass
class Parsed:
    rows: list[Row]
    deck: dict | None = None
    study_set: dict | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    deck: Deck
    created: int
    updated: int


def unescape_tsv(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(nxt, "\\" + nxt))
        else:
            out.append(char)
    return "".join(out)


# Anki's text export names its separator in a "#separator:" header line.
ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}


def parse_tsv(text: str) -> Parsed:
    """Quizlet TSV, or Anki's plain-text notes with their "#key:value" header lines."""
    parsed = Parsed(rows=[])
    separator = "\t"
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            if key.strip().lower() == "separator":
                separator = ANKI_SEPARATORS.get(value.strip().lower(), value.strip() or "\t")
            continue
        if not line.strip():
            continue
        parts = line.split(separator)
        if len(parts) != 2:
            name = next((k for k, v in ANKI_SEPARATORS.items() if v == separator), repr(separator))
            parsed.problems.append(
                f"line {number}: expected a front, one {name} and a back; found {len(parts)} fields"
            )
            continue
        parsed.rows.append(Row(f"line {number}", unescape_tsv(parts[0]), unescape_tsv(parts[1])))
    return parsed


def parse_csv(text: str) -> Parsed:
    parsed = Parsed(rows=[])
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as error:
        raise ImportRejected([f"line 1: not valid CSV ({error})"]) from None
    if header[:2] != ["front", "back"] or not set(header) <= {"front", "back", "tags", "guid"}:
        raise ImportRejected(
            [f"line 1: the header must be front,back[,tags][,guid]; found {','.join(header) or 'nothing'}"]
        )
    try:
        for values in reader:
            number = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                parsed.problems.append(f"line {number}: expected {len(header)} columns, found {len(values)}")
                continue
            record = dict(zip(header, values, strict=True))
            parsed.rows.append(
                Row(
                    f"line {number}",
                    record["front"],
                    record["back"],
                    record.get("tags", ""),
                    record.get("guid", ""),
                )
            )
    except csv.Error as error:
        parsed.problems.append(f"line {reader.line_num}: not valid CSV ({error})")
    return parsed


def parse_json(text: str) -> Parsed:
    data = load_json(text, fmt=FORMAT, kind="deck", parts={"deck": dict, "cards": list})
    deck, cards = data["deck"], data["cards"]
    parsed = Parsed(rows=[], deck=deck, study_set=data.get("study_set"))
    for number, card in enumerate(cards, start=1):
        if not isinstance(card, dict):
            parsed.problems.append(f"card {number}: must be an object")
            continue
        tags = card.get("tags", [])
        parsed.rows.append(
            Row(
                f"card {number}",
                card.get("front", ""),
                card.get("back", ""),
                " ".join(tags) if isinstance(tags, list) else str(tags),
                card.get("guid") or "",
                card.get("plot"),
                card.get("notes_section"),
            )
        )
    return parsed


PARSERS = {"json": parse_json, "csv": parse_csv, "tsv": parse_tsv}


def import_deck(content: bytes, *, fmt: str, deck: Deck | None = None) -> ImportResult:
    """Import a file into ``deck`` (CSV, TSV) or into the deck the file describes (JSON)."""
    if fmt not in PARSERS:
        raise ImportRejected([f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"])
    parsed = PARSERS[fmt](decode(content))
    if len(parsed.rows) > MAX_CARDS:
        raise ImportRejected([f"the file has {len(parsed.rows)} cards; the limit is {MAX_CARDS}"])
    if parsed.deck is None and deck is None:
        raise ImportRejected([f"a {fmt.upper()} file has no deck of its own: choose the deck to import into"])
    problems = parsed.problems + [p for row in parsed.rows for p in row_problems(row)]
    if problems:
        raise ImportRejected(problems)
    try:
        with transaction.atomic():
            return save(parsed, deck)
    except ValidationError as error:
        raise ImportRejected(error.messages) from None


def row_problems(row: Row) -> list[str]:
    problems = []
    for name in ("front", "back", "tags", "guid"):
        if not isinstance(getattr(row, name), str):
            problems.append(f"{row.where}, field {name}: must be text")
    if isinstance(row.front, str) and not row.front.strip():
        problems.append(f"{row.where}, field front: is empty")
    if isinstance(row.back, str) and not row.back.strip():
        problems.append(f"{row.where}, field back: is empty")
    try:
        spec_from_json(row.plot)
    except ParameterError as error:
        problems.append(f"{row.where}, field plot: {error}")
    return problems


def save(parsed: Parsed, deck: Deck | None) -> ImportResult:
    study_set = save_study_set(parsed.study_set) if parsed.study_set else None
    if parsed.deck is not None:
        fields = {
            k: parsed.deck[k]
            for k in ("title", "description", "new_cards_per_day", "reviews_per_day", "desired_retention")
            if k in parsed.deck
        }
        deck = Deck.objects.filter(slug=parsed.deck.get("slug")).first() or Deck(slug=parsed.deck.get("slug"))
        for name, value in fields.items():
            setattr(deck, name, value)
        if study_set is not None:
            deck.study_set = study_set
        checked(deck, "deck")
    sections = section_anchors(deck.study_set)
    existing = {c.guid: c for c in Card.objects.filter(guid__in=[r.guid for r in parsed.rows if r.guid])}
    created = updated = 0
    for row in parsed.rows:
        card = existing.get(row.guid) or Card(**({"guid": row.guid} if row.guid else {}))
        is_new = card.pk is None
        card.deck, card.front, card.back, card.tags = deck, row.front, row.back, " ".join(row.tags.split())
        if parsed.deck is not None:  # JSON carries these; CSV and TSV leave them as they are
            card.plot = row.plot or None
            card.notes_section = sections.get(row.notes_section) if row.notes_section else None
        checked(card, row.where)
        created += is_new
        updated += not is_new
    return ImportResult(deck=deck, created=created, updated=updated)
