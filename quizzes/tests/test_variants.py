"""Questions the simulation writes: each attempt its own variant, graded by the engine's key, kept."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from quizzes import exporting, grading, importing, snapshots, variants
from quizzes.models import Answer, Question, Quiz
from quizzes.qtypes import Response
from quizzes.variant_stats import variant_stats
from rnnsim.core.templates import Template, show_number
from rnnsim.figures import engine_version
from rnnsim.marks import AnswerMark, placements
from rnnsim.models import RenderedPlot
from rnnsim.variants import pool_variant, problems_of
from studysite.exchange import ImportRejected
from studysite.rendering import render_markdown_inline

from .makers import question_admin_data, question_url, sample_form, start

PRACTICE = "rnn-gradients-practice"
pytestmark = pytest.mark.usefixtures("seed")


def practice() -> Quiz:
    return Quiz.objects.get(slug=PRACTICE)


def question_text(html: str) -> str:
    return re.search(r'<h1 class="question-text">(.*?)</h1>', html, re.DOTALL)[1]


def power_question() -> Question:
    return practice().questions.get(order=1)  # numerical: the share left k steps back at ρ


def test_a_reload_asks_the_same_variant_and_other_attempts_draw_others(client: Client) -> None:
    question = power_question()
    attempt = start(client, practice())
    first = question_text(client.get(question_url(attempt, question.pk)).content.decode())
    assert question_text(client.get(question_url(attempt, question.pk)).content.decode()) == first
    texts = {first}
    for _ in range(11):
        other = Client()
        page = other.get(question_url(start(other, practice()), question.pk)).content.decode()
        texts.add(question_text(page))
    assert len(texts) >= 6  # a pool of 40 variants: twelve attempts draw about ten different ones


def test_a_pools_variant_is_computed_once_per_process_not_on_every_page_and_answer(
    client: Client, monkeypatch
) -> None:
    """Its key can cost a simulation or a counted pass (ms each): a page and its answer ask again."""
    computed = []
    compute = Template.variant
    monkeypatch.setattr(
        Template, "variant", lambda self, values: computed.append(values) or compute(self, values)
    )
    pool_variant.cache_clear()
    question = power_question()
    attempt = start(client, practice())
    url = question_url(attempt, question.pk)
    client.get(url)
    client.get(url)
    response = client.post(url, sample_form(attempt, question, right=True), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert len(computed) == 1


def test_nothing_on_the_page_before_answering_gives_the_key_away(client: Client) -> None:
    for question in practice().questions.all():
        attempt = start(Client(), practice())
        page = Client().get(question_url(attempt, question.pk))  # another visitor: 404, nothing shown
        assert page.status_code == 404
        owner = Client()
        attempt = start(owner, practice())
        html = owner.get(question_url(attempt, question.pk)).content.decode()
        key = attempt.asked(question).variant.key
        if question.kind == "numerical":  # a choice question shows its key among the choices, unmarked
            for form in {f"{key:.6g}", f"{key:.4g}", repr(key), show_number(key)}:
                assert form not in html, (question, form)
        assert "correct" not in html.lower()
        assert "<img" not in html
        assert "/plots/" not in html


def test_a_right_answer_within_the_tolerance_is_right_and_the_feedback_quotes_the_variant(
    client: Client,
) -> None:
    question = power_question()
    attempt = start(client, practice())
    variant = attempt.asked(question).variant
    inside = variant.key * 1.008  # within 1%
    client.post(question_url(attempt, question.pk), {"response": f"{inside:.6g}"})
    answer = Answer.objects.get(attempt=attempt, question=question)
    assert answer.is_correct
    assert f"\\rho = {variant.shown['rho']}" in answer.shown["text"]
    assert f"{variant.shown['k']}" in answer.shown["explanation"]
    assert answer.shown["variant"] == {
        "params": variant.params,
        "shown": variant.shown,
        "run_params": variant.run_params,
        "key": variant.key,
        "tolerance": variant.tolerance,
        "exact": False,
        "marked_at": [0, float(variant.params["k"])],  # its plot draws the key k steps back
        "engine": engine_version(),
    }
    follow = client.get(question_url(attempt, question.pk)).content.decode()
    assert f"rho = {variant.shown['rho']}" in follow.split("Drawn for you:")[1]
    assert "✓ Correct" in follow


def test_an_answer_just_outside_the_tolerance_is_wrong(client: Client) -> None:
    question = power_question()
    attempt = start(client, practice())
    key = attempt.asked(question).variant.key
    client.post(question_url(attempt, question.pk), {"response": f"{key * 1.02:.6g}"})
    assert not Answer.objects.get(attempt=attempt, question=question).is_correct


def test_a_choice_variant_offers_the_key_and_its_distractors_shuffled(client: Client) -> None:
    question = practice().questions.get(order=2)
    for _ in range(4):
        learner = Client()
        attempt = start(learner, practice())
        asked = attempt.asked(question)
        choices = attempt.ordered_choices(asked)
        assert [c.is_correct for c in choices].count(True) == 1
        learner.post(question_url(attempt, question.pk), sample_form(attempt, question, right=True))
        answer = Answer.objects.get(attempt=attempt, question=question)
        assert answer.is_correct
        assert not answer.picks.exists()  # a variant's choices are never rows
        assert [c["picked"] for c in answer.shown["choices"]].count(True) == 1
    positions = set()
    for seed in range(20):  # the key's place among the choices changes with the seed
        asked = variants.asked(question, f"seed {seed}")
        offered = variants.variant_choices(asked, f"seed {seed}")
        positions.add(next(i for i, choice in enumerate(offered) if choice.is_correct))
    assert len(positions) >= 3


def test_editing_the_template_after_answering_changes_no_recorded_answer(client: Client) -> None:
    question = power_question()
    attempt = start(client, practice())
    client.post(question_url(attempt, question.pk), sample_form(attempt, question, right=True))
    before = Answer.objects.get(attempt=attempt).shown
    question.template = question.template | {"params": {"rho": {"values": [0.6]}, "k": {"values": [20]}}}
    question.text = "Changed: {{rho}}"
    question.save()
    answer = Answer.objects.get(attempt=attempt)
    assert answer.shown == before
    assert answer.is_correct
    review = client.get(question_url(attempt, question.pk)).content.decode()
    assert "Changed" not in review
    assert f"rho = {before['variant']['shown']['rho']}" in review


def test_a_template_some_draw_breaks_cannot_be_saved(client: Client) -> None:
    question = power_question()
    question.template = question.template | {"params": {"rho": {"values": [0.9]}, "k": {"values": [5, 20]}}}
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert "k = 5, rho = 0.9: T must be between 10 and 200" in str(error.value)
    question.template = question.template | {"choices": 4, "distractors": ["k-times"]}
    with pytest.raises(ValidationError, match="4 choices need at least 3 rules"):
        question.full_clean()


@override_settings(STUDYSITE_TEMPLATE_CHECK_SECONDS=0)
def test_a_template_whose_draws_take_too_long_to_check_is_refused_naming_its_widest_range() -> None:
    problems_of.cache_clear()
    question = power_question()
    with pytest.raises(ValidationError, match="rho: checking all 380 draws of rho-power-law takes longer"):
        question.full_clean()


@override_settings(STUDYSITE_IMPORT_TEMPLATE_SECONDS=0)
def test_one_files_templates_share_one_checking_budget_and_nothing_is_imported_past_it() -> None:
    problems_of.cache_clear()
    data = exporting.export_json(practice())
    data["quiz"] = {key: value for key, value in data["quiz"].items() if key != "guid"} | {
        "slug": "practice-copy"
    }
    for question in data["questions"]:
        del question["guid"]  # a copy: the GUIDs are the practice quiz's
    with pytest.raises(ImportRejected) as rejected:
        importing.import_quiz(json.dumps(data).encode(), fmt="json")
    slow = [p for p in rejected.value.problems if "takes longer than allowed" in p]
    assert len(slow) == len([q for q in data["questions"] if q.get("template")]) == 9
    assert slow[0].startswith("question 1")
    assert not Quiz.objects.filter(slug="practice-copy").exists()
    data["questions"] = data["questions"][:1]
    with override_settings(STUDYSITE_IMPORT_TEMPLATE_SECONDS=600):  # a budget that suffices: imported
        assert importing.import_quiz(json.dumps(data).encode(), fmt="json").created == 1


def test_the_staff_preview_shows_one_variant(client: Client) -> None:
    client.force_login(User.objects.create_superuser("teach", "t@example.org", "pw"))
    html = client.get(f"/preview/questions/{power_question().pk}/").content.decode()
    assert "{{rho}}" not in html
    assert "\u03c1" in html  # ρ, filled in


def test_files_without_simulations_get_five_fixed_variants_with_stable_guids() -> None:
    quiz = practice()
    gift = exporting.export_gift(quiz)
    assert gift.count("::Q1 variant ") == 5
    assert "{{rho}}" not in gift
    rows = exporting.quiz_rows(quiz)
    assert len(rows) == 5 * quiz.questions.count() - (5 - 5)
    assert [row.guid for row in rows] == [row.guid for row in exporting.quiz_rows(quiz)]
    assert len({row.guid for row in rows}) == len(rows)


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("author", "a@example.org", "pw"))
    return client


def test_admin_previews_five_variants_with_keys_choices_and_plots_before_saving(staff: Client) -> None:
    question = practice().questions.get(order=2)
    data = {"template": json.dumps(question.template), "text": question.text, "explanation": ""}
    response = staff.post(reverse("template-preview"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="template-sample"') == 5
    assert html.count("<strong>right</strong>") == 5
    assert "kρ instead of ρᵏ" in html
    assert html.count("<figure") == 5
    assert "{{rho}}" not in html


def test_admin_preview_names_the_draws_a_broken_template_cannot_answer(staff: Client) -> None:
    broken = practice().questions.get(order=1).template | {
        "params": {"rho": {"values": [0.9]}, "k": {"values": [5]}}
    }
    response = staff.post(reverse("template-preview"), {"template": json.dumps(broken)})
    assert response.status_code == 400
    assert "k = 5, rho = 0.9: T must be between 10 and 200" in response.content.decode()
    response = staff.post(reverse("template-preview"), {"template": "{not json"})
    assert response.status_code == 400
    assert "template:" in response.content.decode()


def test_the_template_preview_is_for_staff_only(client: Client) -> None:
    response = client.post(reverse("template-preview"), {"template": "{}"})
    assert response.status_code == 302


def test_a_template_question_saves_in_admin_with_its_preview_button(staff: Client) -> None:
    question = practice().questions.get(order=2)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    page = staff.get(url).content.decode()
    assert "Preview five variants" in page
    assert 'name="choices-TOTAL_FORMS" value="0"' in page
    response = staff.post(url, question_admin_data(question))
    assert response.status_code == 302, response.content.decode()[-2000:]
    question.refresh_from_db()
    assert question.template["distractors"] == ["k-times", "over-k", "inverse-power", "about-one"]
    wrong = question_admin_data(question, kind="numerical")
    response = staff.post(url, wrong)
    assert response.status_code == 200
    assert "A template with choices is a single choice question" in response.content.decode()


def answer_power_question(user, *, right: bool, replacing=None):
    """One attempt of the practice quiz, answering only the power-law template, right or wrong."""
    attempt = grading.start_attempt(quiz=practice(), user=user, replacing=replacing)
    question = attempt.asked(power_question())
    key = question.variant.key
    grading.submit_answer(
        attempt=attempt, question=question, response=Response(text=f"{key * (1 if right else 3):.6g}")
    )
    return attempt


def test_item_analysis_splits_a_templates_facility_by_region_and_by_first_variant_or_later() -> None:
    learner = User.objects.create_user("practising", password="a-long-password-1")
    first = answer_power_question(learner, right=False)
    second = answer_power_question(learner, right=True, replacing=first)
    answer_power_question(learner, right=True, replacing=second)
    answer_power_question(AnonymousUser(), right=True)
    stats = variant_stats(power_question())
    assert (stats.first.answers, stats.first.percent) == (2, 50.0)  # the learner's first, and the visitor's
    assert (stats.later.answers, stats.later.percent) == (2, 100.0)
    by_param = dict(stats.by_param)
    assert set(by_param) == {"rho", "k"}
    assert [f.label for f in by_param["rho"]] == ["0.50 to 0.83", "0.83 to 1.17", "1.17 to 1.50"]
    assert sum(f.answers for f in by_param["rho"]) == sum(f.answers for f in by_param["k"]) == 4
    answers = Answer.objects.filter(question=power_question())
    rhos = [answer.shown["variant"]["params"]["rho"] for answer in answers]
    assert by_param["rho"][0].answers == sum(rho < 0.5 + (1.5 - 0.5) / 3 for rho in rhos)


def test_the_item_analysis_table_shows_a_templates_regions(staff: Client) -> None:
    answer_power_question(AnonymousUser(), right=True)
    page = staff.get(reverse("admin:quizzes_question_change", args=[power_question().pk])).content.decode()
    assert "Facility by the variant" in page
    assert "rho: 0.50 to 0.83" in page
    assert "first variant: 100%" in page


def test_a_variants_plot_not_drawn_yet_follows_the_feedback_instead_of_delaying_it(client: Client) -> None:
    question = power_question()
    attempt = start(client, practice())
    html = client.post(
        question_url(attempt, question.pk), sample_form(attempt, question, right=True), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "✓ Correct" in html
    assert "<figure" not in html
    pending = re.search(r'class="plot-pending" hx-get="([^"]+)"', html)[1].replace("&amp;", "&")
    assert pending.startswith("/lab/rho-power-law/figure/?")
    figure = client.get(pending, HTTP_HX_REQUEST="true").content.decode()
    assert "<figure" in figure
    assert "Rerun this simulation in the lab" in figure
    again = client.get(question_url(attempt, question.pk)).content.decode()
    assert "<figure" in again  # drawn once, now shown with the feedback
    assert "plot-pending" not in again


def marks_in(html: str) -> dict[str, tuple[float, float]]:
    """Each layout's ring or arrowhead over the plot, by where it is centred."""
    found = re.findall(r'class="plot-mark plot-mark-(\w+)"[^>]*data-cx="([\d.]+)" data-cy="([\d.]+)"', html)
    return {layout: (float(cx), float(cy)) for layout, cx, cy in found}


def test_the_learners_answer_is_marked_on_the_variants_plot_where_the_key_is_drawn(client: Client) -> None:
    question = power_question()
    attempt = start(client, practice())
    variant = attempt.asked(question).variant
    wrong = variant.key * 1.05  # wrong (the tolerance is 1%), and within the axis's margin around the key
    html = client.post(
        question_url(attempt, question.pk), {"response": f"{wrong:.6g}"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    pending = re.search(r'class="plot-pending" hx-get="([^"]+)"', html)[1].replace("&amp;", "&")
    assert f"mark=0%2C{variant.params['k']}%2C" in pending
    figure = client.get(pending, HTTP_HX_REQUEST="true").content.decode()
    plot = RenderedPlot.objects.get(experiment="rho-power-law")
    expected = {p.layout: (p.cx, p.cy) for p in placements(plot, AnswerMark(0, variant.params["k"], wrong))}
    marked = marks_in(figure)
    assert marked.keys() == expected.keys() == {"wide", "narrow"}
    for layout, place in expected.items():
        assert marked[layout] == pytest.approx(place, abs=0.06)
    shown_value = render_markdown_inline(show_number(float(f"{wrong:.6g}")))
    assert (
        f"The ring marks your answer, {shown_value}, beside the simulation's own value at the same point"
        in figure
    )
    again = client.get(question_url(attempt, question.pk)).content.decode()  # drawn now: shown inline
    assert marks_in(again) == marks_in(figure)
    assert "plot-pending" not in again


def test_a_picked_choice_is_marked_and_an_answer_off_the_scale_sits_on_its_edge(client: Client) -> None:
    question = practice().questions.get(order=2)  # choices of the share left k steps back
    attempt = start(client, practice())
    client.post(question_url(attempt, question.pk), sample_form(attempt, question, right=False))
    answer = Answer.objects.get(attempt=attempt, question=question)
    (picked,) = [choice for choice in answer.shown["choices"] if choice["picked"]]
    mark = snapshots.shown(answer).answer_mark
    assert (mark.x, mark.y) == (answer.shown["variant"]["params"]["k"], picked["value"])
    power = power_question()
    client.post(question_url(attempt, power.pk), {"response": "1e300"})
    html = client.get(question_url(attempt, power.pk)).content.decode()
    pending = re.search(r'class="plot-pending" hx-get="([^"]+)"', html)[1].replace("&amp;", "&")
    figure = client.get(pending).content.decode()
    assert "is above the plotted range: the arrowhead on the top edge marks it" in figure
    assert "<polygon" in figure
    assert "<circle" not in figure


def test_a_figure_url_whose_mark_is_not_panel_x_y_is_refused(client: Client) -> None:
    response = client.get("/lab/rho-power-law/figure/?rho=0.9&mark=nonsense")
    assert response.status_code == 400
    assert "mark: give the panel, x and y" in response.content.decode()


def test_an_answer_recorded_before_marks_or_without_a_number_gets_no_mark(client: Client) -> None:
    question = power_question()
    attempt = start(client, practice())
    client.post(question_url(attempt, question.pk), {"response": "0.5"})
    answer = Answer.objects.get(attempt=attempt, question=question)
    assert snapshots.shown(answer).answer_mark is not None
    del answer.shown["variant"]["marked_at"]
    assert snapshots.shown(answer).answer_mark is None
    plain = Answer.objects.exclude(shown__variant__isnull=False).first()
    assert plain is None or snapshots.shown(plain).answer_mark is None


def test_the_results_page_lets_variants_plots_follow_too(client: Client) -> None:
    attempt = start(client, practice())
    for question in practice().questions.all():
        client.post(question_url(attempt, question.pk), sample_form(attempt, question, right=False))
    html = client.get(f"/attempts/{attempt.public_id}/results/").content.decode()
    assert "Your results" in html
    assert (
        html.count('class="plot-pending"') == practice().questions.count()
    )  # none drawn yet, none waited for
