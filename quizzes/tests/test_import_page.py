"""The staff import page: a preview of what a file would do, then all of it or nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from quizzes.models import Question, StagedImport

from .makers import make_quiz

FILES = Path(__file__).parent / "files"
URL = reverse("quiz-import")


@pytest.fixture
def staff_client(db, client: Client) -> Client:
    client.force_login(User.objects.create_superuser("teacher", "t@example.org", "pw"))
    return client


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (FILES / name).read_bytes())


def preview(client: Client, quiz, name: str, content: bytes | None = None):
    return client.post(URL, {"file": upload(name, content), "quiz": quiz.pk, "format": ""})


def confirm(client: Client, page) -> object:
    staged = StagedImport.objects.get()
    return client.post(URL, {"staged": staged.pk, "fingerprint": page.context["fingerprint"]})


def test_the_page_is_for_staff_only(db, client: Client) -> None:
    assert "/admin/login/" in client.get(URL)["Location"]
    client.force_login(User.objects.create_user("learner", "l@example.org", "pw"))
    assert "/admin/login/" in client.get(URL)["Location"]
    assert "/admin/login/" in client.post(URL, {"staged": "1", "fingerprint": "x"})["Location"]


@pytest.mark.parametrize("name", ["every-type.gift", "every-type.moodle.xml"])
def test_a_preview_lists_every_change_and_skip_and_writes_nothing(name, staff_client) -> None:
    quiz = make_quiz(questions=0)
    page = preview(staff_client, quiz, name)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nothing is written yet" in html
    assert not Question.objects.filter(quiz=quiz).exists()
    result = page.context["result"]
    assert result.created == len(result.actions) >= 5
    assert result.updated == 0
    for change in result.actions:
        assert f"<td>{change.where}</td><td>{change.kind}</td><td>Create</td>" in html.replace("&quot;", '"')
    assert {change.kind for change in result.actions} >= {"Numerical", "Matching", "Short answer"}
    assert "skipped" in html
    assert "essay" in html.lower()
    assert f"Import all {len(result.actions)} questions" in html


def test_confirming_imports_all_of_it_and_a_second_preview_says_update(staff_client) -> None:
    quiz = make_quiz(questions=0)
    page = preview(staff_client, quiz, "every-type.gift")
    created = page.context["result"].created
    response = confirm(staff_client, page)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    assert Question.objects.filter(quiz=quiz).count() == created
    assert not StagedImport.objects.exists()
    notice = staff_client.get(response["Location"]).content.decode()
    assert f"{created} new questions, 0 updated" in notice

    again = preview(staff_client, quiz, "every-type.gift").context["result"]
    assert (again.created, again.updated) == (0, created)
    assert all(change.change.startswith("update question") for change in again.actions)


def test_a_quiz_changed_after_the_preview_gets_a_fresh_preview_not_an_import(staff_client) -> None:
    quiz = make_quiz(questions=0)
    page = preview(staff_client, quiz, "every-type.gift")
    call_command("import_quiz", str(FILES / "every-type.gift"), quiz=quiz.slug, verbosity=0)
    questions = list(Question.objects.filter(quiz=quiz).values_list("pk", "text"))
    response = confirm(staff_client, page)
    assert response.status_code == 409
    assert "The quiz changed after your preview" in response.content.decode()
    assert all(change.change.startswith("update") for change in response.context["result"].actions)
    assert list(Question.objects.filter(quiz=quiz).values_list("pk", "text")) == questions


def test_a_bad_file_is_rejected_with_its_lines_and_nothing_is_kept(staff_client) -> None:
    quiz = make_quiz(questions=0)
    bad = b"::Fine::A question {=yes ~no}\n\n::Broken::What is {=this {=nested}}\n"
    response = preview(staff_client, quiz, "bank.gift", bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "line 3" in html
    assert "unbalanced braces" in html
    assert not StagedImport.objects.exists()
    assert not Question.objects.filter(quiz=quiz).exists()


def test_gift_needs_a_quiz_to_go_into(staff_client) -> None:
    response = staff_client.post(URL, {"file": upload("every-type.gift")})
    assert response.status_code == 400
    assert "choose the quiz to import into" in response.content.decode()


def test_two_questions_with_one_name_are_both_previewed_with_their_lines(staff_client) -> None:
    quiz = make_quiz(questions=0)
    twice = b"::Same::One? {T}\n\n::Same::Two? {F}\n"
    html = preview(staff_client, quiz, "twice.gift", twice).content.decode().replace("&quot;", '"')
    assert 'lines 1 and 3: two questions are named "Same"' in html
    assert 'the second as "Same (2)"' in html


def test_an_old_replaced_or_foreign_preview_imports_nothing(staff_client) -> None:
    quiz = make_quiz(questions=0)
    page = preview(staff_client, quiz, "every-type.gift")
    staged = StagedImport.objects.get()
    StagedImport.objects.update(staged_at=staged.staged_at - timedelta(hours=2))
    response = confirm(staff_client, page)
    assert response.status_code == 410
    assert "no longer kept" in response.content.decode()

    other = Client()
    other.force_login(User.objects.create_superuser("other", "o@example.org", "pw"))
    page = preview(staff_client, quiz, "every-type.gift")
    response = other.post(
        URL, {"staged": StagedImport.objects.get().pk, "fingerprint": page.context["fingerprint"]}
    )
    assert response.status_code == 410
    response = staff_client.post(URL, {"staged": "not-a-number", "fingerprint": ""})
    assert response.status_code == 410
    assert not Question.objects.filter(quiz=quiz).exists()


def test_each_instructor_keeps_one_preview(staff_client) -> None:
    quiz = make_quiz(questions=0)
    preview(staff_client, quiz, "every-type.gift")
    preview(staff_client, quiz, "every-type.moodle.xml")
    assert StagedImport.objects.get().filename == "every-type.moodle.xml"


def test_the_quiz_list_in_admin_links_to_the_import(staff_client) -> None:
    page = staff_client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()
    assert f'href="{URL}"' in page
