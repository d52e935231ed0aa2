"""An instructor previews a question template's variants in admin, in Chromium, before saving it."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import Question
from quizzes.tests.browsing import log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_seed")]


def test_preview_five_variants_then_see_a_broken_range_named(page: Page, live_server) -> None:
    question = Question.objects.get(quiz__slug="rnn-gradients-practice", order=2)
    log_in_to_admin(page, f"{live_server.url}/admin/quizzes/question/{question.pk}/change/")
    page.get_by_role("button", name="Preview five variants").click()
    samples = page.locator(".template-sample")
    expect(samples).to_have_count(5, timeout=30_000)
    expect(samples.first).to_contain_text("Key:")
    expect(samples.first).to_contain_text("kρ instead of ρᵏ")
    expect(samples.locator("figure img")).to_have_count(5)

    broken = question.template | {"params": {"rho": {"values": [0.9]}, "k": {"values": [5]}}}
    page.locator("textarea[name=template]").fill(json.dumps(broken))
    page.get_by_role("button", name="Preview five variants").click()
    expect(page.locator(".template-problems")).to_contain_text(
        "k = 5, rho = 0.9: T must be between 10 and 200"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("T must be between 10 and 200")
    assert Question.objects.get(pk=question.pk).template == question.template  # nothing half-saved
