"""axe-core finds no WCAG 2.2 AA violation on any page a learner or an instructor uses, in Chromium.

axe-core comes from npm for the tests only (studysite/tests/axe); it is never served. The browser
context bypasses the Content-Security-Policy only so that the test can inject axe itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from flashcards.models import Deck
from quizzes.models import Attempt, Question
from quizzes.tests.browsing import give_sample_answer, log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
QUESTION_URL = re.compile(r"/attempts/(?P<attempt>[0-9a-f-]+)/questions/(?P<question>\d+)/$")


def violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("rules => axe.run(document, {runOnly: rules}).then(r => r.violations)", RULES)
    return [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in found]


@pytest.fixture
def axe_page(browser: Browser, live_server):
    context = browser.new_context(bypass_csp=True, base_url=live_server.url)
    yield context.new_page()
    context.close()


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


@pytest.mark.parametrize(
    "url",
    ["/", "/sets/rnn-gradients-bptt/", "/sets/rnn-gradients-bptt/notes/", "/decks/",
     "/decks/rnn-gradients-bptt/", "/decks/rnn-gradients-bptt/cram/?side=back",
     "/quizzes/rnn-gradients-bptt/", "/lab/", "/lab/clipping/", "/progress/", "/accounts/login/",
     "/accounts/signup/"],
)  # fmt: skip
def test_public_pages(axe_page: Page, url: str) -> None:
    axe_page.goto(url)
    assert violations(axe_page) == []


def test_question_feedback_and_results(axe_page: Page) -> None:
    page = axe_page
    page.goto("/quizzes/rnn-gradients-bptt/")
    page.get_by_role("button", name="Start the quiz").click()
    assert violations(page) == []
    attempt = Attempt.objects.get(public_id=QUESTION_URL.search(page.url)["attempt"])
    checked: set[str] = set()
    for position, question_id in enumerate(attempt.question_ids):
        question = Question.objects.get(pk=question_id)
        page.goto(f"/attempts/{attempt.public_id}/questions/{question_id}/")
        if question.kind != "single" and question.kind not in checked:  # each type's input, once
            assert violations(page) == [], f"the {question.kind} question"
        give_sample_answer(page, attempt, question, right=position % 2 == 0)
        page.get_by_role("button", name="Submit answer").click()
        expect(page.locator(".feedback")).to_be_visible()
        if question.kind not in checked:  # each type's feedback panel, once
            assert violations(page) == [], f"the {question.kind} feedback panel"
            checked.add(question.kind)
    page.goto(f"/attempts/{attempt.public_id}/results/")
    expect(page.locator("h1")).to_have_text("Your results")
    assert violations(page) == []


def test_study_and_statistics(axe_page: Page) -> None:
    User.objects.create_user("learner", password="a-long-password-1")
    log_in(axe_page, "learner")
    deck = Deck.objects.get()
    axe_page.goto(f"/decks/{deck.slug}/study/")
    assert violations(axe_page) == [], "the front"
    axe_page.keyboard.press("Space")
    expect(axe_page.locator("#card-answer")).to_be_visible()
    assert violations(axe_page) == [], "the back"
    axe_page.keyboard.press("3")
    axe_page.goto(f"/decks/{deck.slug}/stats/")
    assert violations(axe_page) == []
    axe_page.set_viewport_size({"width": 390, "height": 844})  # where its charts scroll sideways
    assert violations(axe_page) == [], "the statistics on a phone"


def test_an_admin_change_form(axe_page: Page) -> None:
    log_in_to_admin(axe_page, f"/admin/quizzes/question/{Question.objects.first().pk}/change/")
    expect(axe_page.locator("#question_form")).to_be_visible()
    assert violations(axe_page) == []


def test_the_checker_itself_finds_a_real_violation(axe_page: Page) -> None:
    """Guards the harness: a page with an unlabelled image and field must not pass."""
    axe_page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><input></main></html>')
    found = " ".join(violations(axe_page))
    assert "image-alt" in found
    assert "label" in found
