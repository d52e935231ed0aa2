"""A deck import creates or updates cards of its own deck only; a GUID from elsewhere is a conflict."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flashcards import exporting, importing
from flashcards.models import Card, Review, Schedule
from studysite.exchange import ImportRejected
from studysite.rendering import plain_text

from .makers import make_deck, make_user

pytestmark = pytest.mark.django_db


def test_a_csv_row_with_another_decks_guid_is_a_conflict_and_nothing_moves() -> None:
    original, other = make_deck(cards=2), make_deck(cards=0)
    card = original.cards.first()
    learner = make_user()
    Schedule.objects.create(user=learner, card=card, state=2, due="2030-01-01T00:00Z")
    public_csv = exporting.export_csv(original)  # what /decks/<slug>/export.csv serves to anyone
    stolen = public_csv.splitlines()[1]
    upload = f"front,back,tags,guid\nA new card,Its back,,\n{stolen}\n"
    with pytest.raises(ImportRejected) as rejected:
        importing.import_deck(upload.encode(), fmt="csv", deck=other)
    assert len(rejected.value.problems) == 1
    assert rejected.value.problems[0].startswith("line 3: conflict")
    assert repr(original.slug) in rejected.value.problems[0]
    card.refresh_from_db()
    assert card.deck == original
    assert Schedule.objects.get(card=card).user == learner
    assert not other.cards.exists()  # nothing was imported, not even the good row


def test_a_json_deck_cannot_take_cards_of_another_deck() -> None:
    original = make_deck(cards=1)
    data = exporting.export_json(original)
    data["deck"]["slug"] = "someone-elses"
    with pytest.raises(ImportRejected, match="card 1: conflict"):
        importing.import_deck(json.dumps(data).encode(), fmt="json")
    assert original.cards.count() == 1


def test_a_guid_twice_in_one_file_is_reported() -> None:
    deck = make_deck(cards=0)
    upload = "front,back,tags,guid\na,b,,g1\nc,d,,g1\n"
    with pytest.raises(ImportRejected, match="line 2, line 3: the same card"):
        importing.import_deck(upload.encode(), fmt="csv", deck=deck)


def test_reimport_into_its_own_deck_keeps_schedules_and_reviews() -> None:
    deck = make_deck(cards=3)
    learner = make_user()
    card = deck.cards.first()
    Schedule.objects.create(user=learner, card=card, state=2, due="2030-01-01T00:00Z")
    Review.objects.create(
        user=learner,
        card=card,
        rating=3,
        reviewed_at="2026-01-01T00:00Z",
        was_new=True,
        due_after="2030-01-01T00:00Z",
    )
    data = exporting.export_json(deck)
    data["cards"][0]["front"] = "Edited *front*"
    importing.import_deck(json.dumps(data).encode(), fmt="json")
    card.refresh_from_db()
    assert card.front == "Edited *front*"
    assert card.front_html == "<p>Edited <em>front</em></p>\n"  # what the deck page shows
    assert Schedule.objects.filter(card=card, user=learner).exists()
    assert Review.objects.filter(card=card, user=learner).count() == 1


def write_queries(cards: int) -> int:
    deck = make_deck(cards=0)
    upload = "front,back\n" + "".join(f"Front {i},Back {i}\n" for i in range(cards))
    with CaptureQueriesContext(connection) as queries:
        importing.import_deck(upload.encode(), fmt="csv", deck=deck)
    assert deck.cards.count() == cards
    return len(queries.captured_queries)


def test_the_write_is_a_few_bulk_statements_however_many_cards() -> None:
    """The write lock is held for statements, not for a loop of per-card validation and saves."""
    assert write_queries(900) <= write_queries(9) + 2  # inserts go in batches of 500


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]
TRICKY = ["'=already quoted", "''+twice", "'plain apostrophe", "a = b", "-"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_formulas_are_neutralised_in_exports_and_round_trip_unchanged(fmt: str) -> None:
    deck = make_deck(cards=0)
    for text in FORMULAS + TRICKY:
        Card.objects.create(deck=deck, front=text, back=text, tags="t")
    exported = exporting.export_csv(deck) if fmt == "csv" else exporting.export_tsv(deck)
    reader = (
        csv.reader(io.StringIO(exported))
        if fmt == "csv"
        else (line.split("\t") for line in exported.splitlines())
    )
    cells = [cell for row in list(reader)[1 if fmt == "csv" else 0 :] for cell in row[:2]]
    assert all(cell[:1] not in set("=+-@\t\r") for cell in cells), cells
    target = deck if fmt == "csv" else make_deck(cards=0)
    Card.objects.filter(deck=deck).update(front="changed", back="changed")
    importing.import_deck(exported.encode(), fmt=fmt, deck=target)
    # CSV is lossless; Quizlet's TSV holds each face as plain text, and reads back exactly that.
    texts = FORMULAS + TRICKY if fmt == "csv" else [t for t in map(plain_text, FORMULAS + TRICKY) if t]
    assert sorted(target.cards.values_list("front", flat=True)) == sorted(texts)
    assert sorted(target.cards.values_list("back", flat=True)) == sorted(texts)


def test_quizlet_tsv_is_plain_text_with_readable_math() -> None:
    deck = make_deck(cards=0)
    Card.objects.create(
        deck=deck,
        front="Why does **BPTT** vanish for $\\rho < 1$?",
        back="Because $$\\|\\partial L / \\partial a_{T-k}\\| \\propto \\rho^k$$ shrinks.\n\n- *fast*\n- `exactly`",  # noqa: E501
    )
    line = exporting.export_tsv(deck)
    front, back = line.rstrip("\n").split("\t")
    assert front == "Why does BPTT vanish for ρ< 1?"
    assert back == "Because ‖∂L / ∂a_T-k‖ ∝ρ^k shrinks.\\nfast\\nexactly"
