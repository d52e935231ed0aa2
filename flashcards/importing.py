"""Decks into StudySite from JSON (lossless), CSV or TSV: validated whole, saved in one transaction.

A bad file changes nothing, and every problem is reported with its line (or card number) and field.
Cards are matched by GUID, so importing the same file twice updates instead of duplicating.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rnnsim.core.experiments import ParameterError
from rnnsim.figures import spec_from_json
from rnnsim.variants import one_files_checking
from studysite.exchange import (
    ImportRejected,
    Record,
    decode,
    import_target,
    link_rows,
    load_json,
    parse_study_set,
    repeated_guid_problems,
    restore_cell,
    save_target,
    validation_problems,
)

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
    template: dict | None = None  # a card the simulation writes (JSON only)


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
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(nxt, "\\" + nxt))
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
        front, back = (unescape_tsv(restore_cell(part)) for part in parts)
        parsed.rows.append(Row(f"line {number}", front, back))
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
            record = dict(zip(header, (restore_cell(value) for value in values), strict=True))
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


DECK_FIELDS = {
    "title": str,
    "slug": str,
    "description": str,
    "new_cards_per_day": int,
    "reviews_per_day": int,
    "desired_retention": float,
}


def parse_json(text: str) -> Parsed:
    data = load_json(text, fmt=FORMAT, kind="deck", parts={"deck": dict, "cards": list})
    problems: list[str] = []
    deck = Record(data["deck"], "deck", problems).present(**DECK_FIELDS)
    parsed = Parsed(
        rows=[], deck=deck, study_set=parse_study_set(data.get("study_set"), problems), problems=problems
    )
    for number, raw in enumerate(data["cards"], start=1):
        card = Record(raw, f"card {number}", problems)
        tags = card.get("tags", list, [])
        if not all(isinstance(tag, str) for tag in tags):
            problems.append(f"card {number}, field tags: must be a list of words")
            tags = []
        parsed.rows.append(
            Row(
                card.where,
                card.text("front"),
                card.text("back"),
                " ".join(tags),
                card.text("guid"),
                card.get("plot", dict),
                card.get("notes_section", str),
                card.get("template", dict),
            )
        )
    return parsed


PARSERS = {"json": parse_json, "csv": parse_csv, "tsv": parse_tsv}


def import_deck(content: bytes, *, fmt: str, deck: Deck | None = None) -> ImportResult:
    """Import a file into ``deck`` (CSV, TSV) or into the deck the file describes (JSON).

    Everything is read, validated and built before the first write, so the write transaction (and
    SQLite's one write lock, which learners wait for) lasts only as long as the writing.
    """
    if fmt not in PARSERS:
        raise ImportRejected([f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"])
    parsed = PARSERS[fmt](decode(content))
    if len(parsed.rows) > MAX_CARDS:
        raise ImportRejected([f"the file has {len(parsed.rows)} cards; the limit is {MAX_CARDS}"])
    if parsed.deck is None and deck is None:
        raise ImportRejected([f"a {fmt.upper()} file has no deck of its own: choose the deck to import into"])
    with one_files_checking():  # every template of the file, each of whose draws runs, in one budget
        plan = build(parsed, deck)
    problems = parsed.problems + [p for row in parsed.rows for p in row_problems(row)] + plan.problems
    if problems:  # every problem of the file, in one report
        raise ImportRejected(problems)
    try:
        with transaction.atomic():
            return write(plan, parsed)
    except ValidationError as error:  # the study set's notes, validated as they are saved
        raise ImportRejected(error.messages) from None
    except IntegrityError as error:  # another writer took a GUID between the checks and now
        raise ImportRejected(
            [f"the deck changed during the import, so nothing was imported ({error})"]
        ) from None


def row_problems(row: Row) -> list[str]:
    problems = []
    if not row.front.strip():
        problems.append(f"{row.where}, field front: is empty")
    if not row.back.strip():
        problems.append(f"{row.where}, field back: is empty")
    try:
        spec_from_json(row.plot)
    except ParameterError as error:
        problems.append(f"{row.where}, field plot: {error}")
    return problems


@dataclass
class Plan:
    """The cards an import will write, all validated, with the problems that stop it."""

    deck: Deck
    new_cards: list[Card] = field(default_factory=list)
    changed_cards: list[Card] = field(default_factory=list)
    notes_anchors: dict[int, str | None] = field(default_factory=dict)  # id(card) → anchor
    problems: list[str] = field(default_factory=list)


def build(parsed: Parsed, deck: Deck | None) -> Plan:
    """Match every row to the deck's cards by GUID, report conflicts, and build the cards, unsaved."""
    problems = repeated_guid_problems(parsed.rows, "card")
    target = import_target(Deck, parsed.deck, deck, label="deck", problems=problems)
    plan = Plan(deck=target, problems=problems)
    guids = [row.guid for row in parsed.rows if row.guid]
    existing = {c.guid: c for c in Card.objects.filter(guid__in=guids).select_related("deck")}
    for row in parsed.rows:
        card = existing.get(row.guid)
        if card is not None and card.deck_id != plan.deck.pk:
            problems.append(
                f"{row.where}: conflict: its GUID {row.guid} belongs to a card of the deck "
                f"{card.deck.slug!r}; an import changes only its own deck (remove the GUID to add a copy)"
            )
            continue
        if card is None:
            card = Card(deck=plan.deck, **({"guid": row.guid} if row.guid else {}))
            plan.new_cards.append(card)
        else:
            plan.changed_cards.append(card)
        card.front, card.back, card.tags = row.front, row.back, " ".join(row.tags.split())
        card.render()  # bulk writes skip save(), and rendering belongs before the write transaction
        if parsed.deck is not None:  # JSON carries these; CSV and TSV leave them as they are
            card.plot, card.template = row.plot or None, row.template
            plan.notes_anchors[id(card)] = row.notes_section
        problems += validation_problems(card, row.where, exclude=["deck", "notes_section"])
    return plan


def write(plan: Plan, parsed: Parsed) -> ImportResult:
    """All the writes, in bulk: a few statements however many cards there are."""
    deck = plan.deck
    sections = save_target(deck, study_set=parsed.study_set, described=parsed.deck is not None)
    cards = plan.new_cards + plan.changed_cards
    link_rows(cards, parent="deck", target=deck, sections=sections, anchors=plan.notes_anchors)
    Card.objects.bulk_update(
        plan.changed_cards,
        ["front", "back", "tags", "plot", "template", "notes_section", *Card.rendered_fields],
        batch_size=500,
    )
    Card.objects.bulk_create(plan.new_cards, batch_size=500)
    return ImportResult(deck=deck, created=len(plan.new_cards), updated=len(plan.changed_cards))
