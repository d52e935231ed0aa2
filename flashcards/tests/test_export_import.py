"""Deck export and import: round trips, the Anki package's contents, and rejected files."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from flashcards import exporting, importing
from flashcards.models import Card, Deck
from studysite import note_exports
from studysite.exchange import MAX_BYTES, ImportRejected
from studysite.models import NoteSection, StudySet

from .makers import make_deck

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """Content as a comparable structure, without database ids."""
    decks = {
        d.slug: (
            d.title,
            d.description,
            d.new_cards_per_day,
            d.reviews_per_day,
            d.desired_retention,
            d.study_set and d.study_set.slug,
        )
        for d in Deck.objects.select_related("study_set")
    }
    cards = {
        c.guid: (
            c.deck.slug,
            c.front,
            c.back,
            c.tags,
            json.dumps(c.plot, sort_keys=True),
            c.notes_section and c.notes_section.anchor,
        )
        for c in Card.objects.select_related("deck", "notes_section")
    }
    sections = {
        (s.study_set.slug, s.anchor): (s.order, s.title, s.body)
        for s in NoteSection.objects.select_related("study_set")
    }
    sets = {s.slug: (s.title, s.description) for s in StudySet.objects.all()}
    return {"decks": decks, "cards": cards, "sections": sections, "sets": sets}


@pytest.mark.usefixtures("seed")
def test_json_round_trip_into_an_empty_database_is_identical() -> None:
    deck = Deck.objects.get(slug="rnn-gradients-bptt")
    exported = json.dumps(exporting.export_json(deck)).encode()
    before = snapshot()
    before["sets"] = {k: v for k, v in before["sets"].items() if k == deck.study_set.slug}
    with connection.cursor():
        StudySet.objects.all().delete()  # cascades to notes, quiz, deck and cards: an empty database
    assert not Card.objects.exists()
    result = importing.import_deck(exported, fmt="json")
    assert (result.created, result.updated) == (42, 0)
    assert snapshot() == before


@pytest.mark.usefixtures("seed")
def test_reimporting_updates_by_guid_instead_of_duplicating() -> None:
    deck = Deck.objects.get(slug="rnn-gradients-bptt")
    exported = exporting.export_json(deck)
    exported["cards"][0]["back"] = "Changed back."
    result = importing.import_deck(json.dumps(exported).encode(), fmt="json")
    assert (result.created, result.updated) == (0, 42)
    assert Card.objects.count() == 42
    assert Card.objects.get(guid=exported["cards"][0]["guid"]).back == "Changed back."


def test_csv_and_tsv_round_trip_fields_with_commas_tabs_and_newlines() -> None:
    deck = make_deck(cards=0)
    Card.objects.create(
        deck=deck, front='Tab\there, "quote", comma', back="Line one\nline two \\ backslash", tags="a b"
    )
    tsv, csv_text = exporting.export_tsv(deck), exporting.export_csv(deck)
    Card.objects.filter(deck=deck).update(front="edited", back="edited")
    for fmt, text, target in (("tsv", tsv, make_deck(cards=0)), ("csv", csv_text, deck)):
        importing.import_deck(text.encode(), fmt=fmt, deck=target)
        card = target.cards.get()  # TSV has no GUID: a new card; CSV's GUID updates the original
        assert card.front == 'Tab\there, "quote", comma'
        assert card.back == "Line one\nline two \\ backslash"
    assert Card.objects.count() == 2
    assert tsv.count("\t") == 1
    assert tsv.count("\n") == 1
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0] == ["front", "back", "tags", "guid"]
    assert rows[1][2] == "a b"


@pytest.mark.usefixtures("seed")
def test_apkg_holds_every_note_field_tag_and_plot(settings) -> None:
    settings.STUDYSITE_EXPORTED_VARIANTS = 2  # each template card: two notes, each with its own plot
    deck = Deck.objects.get(slug="rnn-gradients-bptt")
    package = zipfile.ZipFile(io.BytesIO(exporting.export_apkg(deck)))
    media = json.loads(package.read("media"))
    rows = exporting.card_rows(deck)  # a template card is five notes, each with its variant's plot
    assert len(media) == len({json.dumps(row.plot, sort_keys=True) for row in rows if row.plot})
    for index, name in media.items():
        assert package.read(index).startswith(b"\x89PNG")
        assert name.startswith("studysite-")
    db = sqlite3.connect(":memory:")
    db.deserialize(package.read("collection.anki2"))
    notes = {
        guid: (fields.split("\x1f"), tags.split())
        for guid, fields, tags in db.execute("select guid, flds, tags from notes")
    }
    assert len(notes) == len(rows) == 38 + 4 * 2
    for card in deck.cards.filter(template__isnull=True):
        (front, back), tags = notes[card.guid]
        assert tags == card.tag_list
        assert "$" not in front + back  # LaTeX uses Anki's MathJax delimiters
    clipping = deck.cards.get(front__startswith="Write the global-norm clipping rule")
    (_, back), _ = notes[clipping.guid]
    assert "\\(" in back
    assert any(f'src="{name}"' in back for name in media.values())
    models = json.loads(db.execute("select models from col").fetchone()[0])
    assert [m["name"] for m in models.values()] == [note_exports.ANKI_MODEL_NAME]
    again = zipfile.ZipFile(io.BytesIO(exporting.export_apkg(deck)))
    db2 = sqlite3.connect(":memory:")
    db2.deserialize(again.read("collection.anki2"))
    assert (
        json.loads(db2.execute("select models from col").fetchone()[0]).keys() == models.keys()
    )  # stable ids


@pytest.mark.parametrize(
    ("fmt", "content", "problem"),
    [
        ("csv", b"front,back\nonly-one-column\n", "line 2: expected 2 columns, found 1"),
        ("csv", b"question,answer\nq,a\n", "line 1: the header must be front,back"),
        ("csv", b"front,back\n,empty front\n", "line 2, field front: is empty"),
        ("tsv", b"term without tab\n", "line 1: expected a front, one tab and a back; found 1 fields"),
        (
            "tsv",
            b"#separator:semicolon\na;b;c\n",
            "line 2: expected a front, one semicolon and a back; found 3",
        ),
        ("csv", b"front,back\n\xe9t\xe9,b\n", "not UTF-8 text"),
        (
            "json",
            b'{"format": "studysite-deck", "deck": {"slug": "x", "title": "X"}, "cards": [{"front": 1}]}',
            "card 1, field front: must be text",
        ),
        ("tsv", b"\xff\xfe bad", "not UTF-8 text: byte 0"),
        ("json", b'{"format": "studysite-deck", "deck": {"slug": "x"}, "cards": [', "line 1: not valid JSON"),
        ("json", b'{"format": "other"}', "not a StudySite deck"),
        (
            "json",
            json.dumps(
                {
                    "format": "studysite-deck",
                    "deck": {"slug": "x", "title": "X"},
                    "cards": [
                        {"front": "f", "back": "b", "plot": {"experiment": "cliff", "params": {"w0": 99}}}
                    ],
                }
            ).encode(),
            "card 1, field plot: w0 must be between 4.5 and 7.5",
        ),
        (
            "json",
            b'{"format": "studysite-deck", "deck": {"slug": "bad slug!", "title": "X"}, "cards": []}',
            "deck, field slug",
        ),
    ],
)
def test_malformed_files_are_rejected_clearly_and_change_nothing(fmt, content, problem) -> None:
    deck = make_deck(cards=2)
    before = snapshot()
    with pytest.raises(ImportRejected) as error:
        importing.import_deck(content, fmt=fmt, deck=deck)
    assert any(problem in p for p in error.value.problems), error.value.problems
    assert snapshot() == before


def test_a_late_error_rolls_back_the_whole_import() -> None:
    deck = make_deck(cards=0)
    good = {"front": "f", "back": "b", "guid": "g1"}
    bad = {"front": "f", "back": "b", "guid": "x" * 100}  # longer than a GUID may be
    payload = {"format": "studysite-deck", "deck": {"slug": deck.slug, "title": "T"}, "cards": [good, bad]}
    with pytest.raises(ImportRejected, match="card 2, field guid"):
        importing.import_deck(json.dumps(payload).encode(), fmt="json")
    assert not Card.objects.exists()


def test_size_and_card_limits(monkeypatch) -> None:
    deck = make_deck(cards=0)
    with pytest.raises(ImportRejected, match="the limit is 5 MiB"):
        importing.import_deck(b"x" * (MAX_BYTES + 1), fmt="tsv", deck=deck)
    monkeypatch.setattr(importing, "MAX_CARDS", 3)
    with pytest.raises(ImportRejected, match="the file has 4 cards; the limit is 3"):
        importing.import_deck(b"a\tb\n" * 4, fmt="tsv", deck=deck)


def test_download_buttons_serve_every_format(client: Client) -> None:
    deck = make_deck(cards=2)
    html = client.get(reverse("deck-detail", args=[deck.slug])).content.decode()
    for fmt in ("apkg", "csv", "tsv", "json"):
        url = reverse("deck-export", args=[deck.slug, fmt])
        assert url in html
        response = client.get(url)
        assert response.status_code == 200
        assert f'filename="{deck.slug}.{fmt}"' in response["Content-Disposition"]


def test_import_page_is_for_staff_and_reports_problems(client: Client) -> None:
    assert client.get(reverse("deck-import")).status_code == 302
    client.force_login(User.objects.create_user("staff", password="a-long-password-1", is_staff=True))
    deck = make_deck(cards=0)
    bad = io.BytesIO(b"front,back\nx\n")
    bad.name = "bad.csv"
    response = client.post(reverse("deck-import"), {"file": bad, "format": "csv", "deck": deck.pk})
    assert response.status_code == 400
    assert "line 2: expected 2 columns, found 1" in response.content.decode()
    good = io.BytesIO(b"front,back\nq,a\n")
    good.name = "good.csv"
    response = client.post(reverse("deck-import"), {"file": good, "format": "csv", "deck": deck.pk})
    assert response.status_code == 302
    assert deck.cards.get().front == "q"


def test_command_line_export_and_import(tmp_path) -> None:
    deck = make_deck(cards=3)
    path = tmp_path / "deck.json"
    call_command("export_deck", deck.slug, format="json", output=str(path), stdout=io.StringIO())
    Card.objects.all().update(front="edited")
    call_command("import_deck", str(path), stdout=io.StringIO())
    assert sorted(deck.cards.values_list("front", flat=True)) == ["Front 0", "Front 1", "Front 2"]
    apkg = tmp_path / "deck.apkg"
    call_command("export_deck", deck.slug, format="apkg", output=str(apkg), stdout=io.StringIO())
    assert zipfile.is_zipfile(apkg)
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab here\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_deck", str(bad), deck=deck.slug)


def test_anki_text_export_with_a_separator_header_imports() -> None:
    deck = make_deck(cards=0)
    text = "#separator:semicolon\n#html:false\nWhat is BPTT?;Backpropagation through time\n"
    result = importing.import_deck(text.encode(), fmt="tsv", deck=deck)
    assert result.created == 1
    assert deck.cards.get().back == "Backpropagation through time"
