"""How several runs of one benchmark become the table's rows: the median run, and whether they agree."""

from __future__ import annotations

from agreement import agreement_rows, value_of
from verdicts import Verdict


def runs_of(*values: str, target: str = "RNN / its own matmuls ≤ 1.5") -> list[list[Verdict]]:
    return [[Verdict("bptt_speed", target, value, float(value.split()[0]) <= 1.5)] for value in values]


def test_the_table_shows_the_median_run_and_that_close_runs_agree() -> None:
    runs = runs_of("1.52 (IQR 1.5-1.6)", "1.44 (IQR 1.4-1.5)", "1.47 (IQR 1.4-1.5)")
    median_row, agreed = agreement_rows(runs)
    assert median_row.value == "1.47 (IQR 1.4-1.5)"
    assert median_row.ok
    assert agreed.ok
    assert agreed.value == "1.52 / 1.44 / 1.47 (±3%)"


def test_runs_further_apart_than_ten_percent_do_not_agree() -> None:
    median_row, agreed = agreement_rows(runs_of("0.48", "0.30", "0.40"))
    assert median_row.value == "0.40"
    assert not agreed.ok


def test_a_target_one_run_did_not_report_cannot_agree() -> None:
    runs = runs_of("1.2", "1.2", "1.2")
    runs[2] = []
    _, agreed = agreement_rows(runs)
    assert not agreed.ok
    assert agreed.value == "not reported by run 3"


def test_a_value_is_the_number_it_starts_with() -> None:
    assert value_of(Verdict("b", "t", "5.9e-16", True)) == 5.9e-16
    assert value_of(Verdict("b", "t", "23.8", False)) == 23.8
    assert value_of(Verdict("b", "t", "0.57 (IQR 0.55-0.59)", False)) == 0.57
