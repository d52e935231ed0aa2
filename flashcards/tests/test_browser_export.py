"""Downloading a deck from its page in a real headless Chromium."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]


def test_download_the_seed_deck_as_an_anki_package(page: Page, live_server, tmp_path) -> None:
    page.goto(f"{live_server.url}/decks/rnn-gradients-bptt/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Anki (.apkg, with plots)").click()
    download = info.value
    assert download.suggested_filename == "rnn-gradients-bptt.apkg"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as package:
        assert "collection.anki2" in package.namelist()
        assert package.read("0").startswith(b"\x89PNG")
