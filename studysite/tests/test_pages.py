"""Home, study set and notes pages, and the custom error pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from studysite.models import NoteSection, StudySet

pytestmark = pytest.mark.usefixtures("seed")


def test_home_lists_study_sets_with_counts(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "RNN Gradients and Backpropagation" in html
    assert "31 questions" in html
    assert "42 flashcards" in html
    assert "9 note sections" in html


def test_home_runs_one_query_whatever_the_number_of_sets(
    client: Client, django_assert_max_num_queries
) -> None:
    for i in range(5):
        StudySet.objects.create(title=f"Set {i}", slug=f"set-{i}")
    with django_assert_max_num_queries(2):
        client.get(reverse("home"))


def test_study_set_page_links_to_notes_and_deck(client: Client) -> None:
    response = client.get(reverse("studyset-detail", args=["rnn-gradients-bptt"]))
    html = response.content.decode()
    assert reverse("studyset-notes", args=["rnn-gradients-bptt"]) in html
    assert reverse("deck-detail", args=["rnn-gradients-bptt"]) in html
    assert "9 sections" in html
    assert "42 cards" in html


def test_notes_page_renders_sections_with_anchors_and_math(client: Client) -> None:
    response = client.get(reverse("studyset-notes", args=["rnn-gradients-bptt"]))
    html = response.content.decode()
    for section in NoteSection.objects.all():
        assert f'id="{section.anchor}"' in html
        assert f'href="#{section.anchor}"' in html
    assert html.count("<math") > 20
    assert "$$" not in html


def test_unknown_study_set_gets_the_custom_404(client: Client) -> None:
    response = client.get("/sets/no-such-set/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_custom_500_page_is_self_contained(client: Client) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "{%" not in html


def test_pages_load_htmx_from_the_site_not_a_cdn(client: Client) -> None:
    html = client.get(reverse("home")).content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in html
    # Every script, stylesheet and image the page loads is the site's own (a path, not another host).
    # Not a search for "cdn": the page's random CSRF token spelled it once.
    loaded = re.findall(r'<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]*)"', html)
    assert loaded
    assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded


HEAD_PAGES = [
    "/", "/sets/rnn-gradients-bptt/", "/sets/rnn-gradients-bptt/notes/", "/decks/",
    "/decks/rnn-gradients-bptt/", "/decks/rnn-gradients-bptt/cram/", "/quizzes/rnn-gradients-bptt/",
    "/lab/", "/lab/rho-power-law/",
    "/lab/rho-power-law/data.json", "/progress/", "/healthz/", "/accounts/login/", "/accounts/signup/",
]  # fmt: skip


@pytest.mark.parametrize("url", HEAD_PAGES)
def test_head_is_answered_wherever_get_is(client: Client, url: str) -> None:
    """Load balancers and link checkers ask with HEAD: the same status and headers, no body."""
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == got.status_code == 200
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""


def test_the_icon_is_linked_and_served_at_the_old_address(client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/studysite/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/studysite/favicon.svg"
    assert client.head("/favicon.ico").status_code == 301


@pytest.mark.parametrize("taken", ["dora@example.org", "DORA@Example.ORG"])
def test_sign_up_asks_for_a_unique_email_and_says_the_account_was_created(client: Client, taken: str) -> None:
    from django.contrib.auth.models import User

    page = client.get(reverse("signup")).content.decode()
    assert 'type="email" name="email"' in page
    assert "Used only to send you a link if you forget your password." in page
    data = {
        "username": "dora",
        "email": "dora@example.org",
        "password1": "a-long-pw-77",
        "password2": "a-long-pw-77",
    }
    response = client.post(reverse("signup"), data, follow=True)
    assert "your account is created and you are logged in" in response.content.decode()
    assert User.objects.get(username="dora").email == "dora@example.org"
    again = Client().post(reverse("signup"), data | {"username": "dora2", "email": taken})
    assert again.status_code == 400
    assert "An account with this email address already exists" in again.content.decode()
    assert not User.objects.filter(username="dora2").exists()
    missing = Client().post(reverse("signup"), data | {"username": "dora3", "email": ""})
    assert missing.status_code == 400
