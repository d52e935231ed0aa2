"""An instructor imports a Moodle question bank in Chromium: choose the file, read the preview, import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from quizzes.models import Question, Quiz
from quizzes.tests.browsing import log_in_to_admin
from studysite.tests.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]
BANK = Path(__file__).parent / "files" / "every-type.moodle.xml"


def test_preview_then_import_a_moodle_xml_bank(browser: Browser, live_server) -> None:
    quiz = Quiz.objects.get(slug="rnn-gradients-bptt")
    before = quiz.questions.count()
    context = browser.new_context(bypass_csp=True, base_url=live_server.url)  # bypass: to inject axe
    page = context.new_page()
    log_in_to_admin(page, "/admin/quizzes/quiz/")
    page.get_by_role("link", name="Import GIFT, Moodle XML or JSON").click()
    expect(page.get_by_role("heading", name="Import questions")).to_be_visible()
    assert violations(page) == [], "the upload form"

    page.get_by_label("File").set_input_files(BANK)
    page.get_by_label("Quiz").select_option(label=str(quiz))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview the import")).to_be_visible()
    rows = page.locator("table.import-plan tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.filter(has_text="Matching")).to_have_count(1)
    expect(page.locator(".import-skipped li")).to_have_count(2)  # the essay, and a calculated question
    expect(page.locator(".import-skipped")).to_contain_text("calculated questions are not supported")
    assert quiz.questions.count() == before
    assert violations(page) == [], "the preview"

    page.get_by_role("button", name=re.compile("Import all 5 questions")).click()
    expect(page).to_have_url(re.compile(rf"/admin/quizzes/quiz/{quiz.pk}/change/$"))
    expect(page.locator(".messagelist")).to_contain_text("5 new questions, 0 updated, 2 skipped")
    assert Question.objects.filter(quiz=quiz).count() == before + 5
    context.close()
