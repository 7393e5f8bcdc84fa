"""Auto-grading with nbgrader: every assignment's demo cohort gets exactly the
grades it must get, and the language of a submission does not change its grade."""

import csv

import pytest

from grading import HIDDEN_DIR
from grading.autograde import feedback_files, format_table, grade
from grading.export import read, write
from grading.expected import recipe
from grading.nbgrader_api import db_url, directory
from grading.release import assignments
from grading.submissions import Submission, make_submission, standard_submissions
from helpers.case_store import read_cases

# A learner whose code warns and prints to stderr inside a checked call.
NOISY = Submission("noah_noisy_but_right", edits={"compute_cost": [
    ("    cost = np.squeeze(cost)",
     "    import sys, warnings\n    warnings.warn('checking my cost')\n    print('debug', file=sys.stderr)\n"
     "    cost = np.squeeze(cost)")]})
EXTRA = {"deep_nn_step_by_step": [NOISY]}


@pytest.fixture(scope="module", params=assignments())
def graded(request, released):
    assignment = request.param
    cohort = standard_submissions(assignment, recipe(assignment)) + EXTRA.get(assignment, [])
    for submission in cohort:
        make_submission(assignment, submission, directory("submitted") / submission.student / assignment)
    results = grade(assignment, [s.student for s in cohort], log=lambda *_: None)
    return assignment, {s.student: s for s in cohort}, {result.student: result for result in results}


def test_every_submission_gets_exactly_its_grade(graded):
    _, cohort, results = graded
    for student, submission in cohort.items():
        result = results[student]
        assert result.error == "", f"{student}: {result.error}"
        assert result.scores and all(maximum == 10.0 for _, maximum in result.scores.values())
        zero = {name for name, (points, _) in result.scores.items() if points == 0}
        full = {name for name, (points, maximum) in result.scores.items() if points == maximum}
        expected_zero = set(result.scores) if not submission.solved else submission.lost
        assert zero == expected_zero, student
        assert full == set(result.scores) - expected_zero, student


def test_perfect_is_full_marks_and_blank_is_zero(graded):
    _, _, results = graded
    assert results["ada_perfect"].total == results["ada_perfect"].max_total > 0
    assert results["ben_blank"].total == 0


def test_a_demo_mistake_loses_exactly_one_function(graded):
    """Each assignment shows at least one mistake that costs exactly that function's 10 points."""
    _, cohort, results = graded
    single = [s for s in cohort.values() if s.solved and len(s.lost) == 1]
    assert single, "add a DEMO_MISTAKES entry that breaks a single function"
    for submission in single:
        result = results[submission.student]
        assert result.total == result.max_total - 10


@pytest.mark.parametrize("student", ["emma_english_only", "li_chinese_only"])
def test_language_versions_grade_like_the_bilingual_one(graded, student):
    _, _, results = graded
    assert results[student].scores == results["ada_perfect"].scores


@pytest.mark.parametrize("graded", ["deep_nn_step_by_step"], indirect=True)
def test_warnings_on_stderr_do_not_cost_points(graded):
    """The noisy submission is built for the first assignment (its compute_cost warns)."""
    _, _, results = graded
    assert results["noah_noisy_but_right"].total == 100


def test_csv_table_and_feedback(graded, tmp_path):
    assignment, cohort, results = graded
    grades = read(db_url(), [assignment])
    path = write(grades, "long", tmp_path / "grades_long.csv")
    rows = {(row["student"], row["exercise"]): row for row in csv.DictReader(path.open(encoding="utf-8"))}
    for student, result in results.items():
        for name, (points, maximum) in result.scores.items():
            assert rows[(student, name)]["points"] == f"{points:g}"
            assert rows[(student, name)]["max_points"] == f"{maximum:g}"
            assert rows[(student, name)]["assignment"] == assignment
    canvas = {row[2]: row for row in csv.reader(write(grades, "canvas", tmp_path / "grades.csv").open(encoding="utf-8"))}
    assert set(cohort) <= set(canvas)
    for student, result in results.items():
        assert canvas[student][5] == f"{result.total:g}"
    table = format_table(list(results.values()))
    assert all(student[:20] in table for student in cohort)
    assert max(map(len, table.splitlines())) <= 100
    html = {path.parts[-3]: path.read_text(encoding="utf-8") for path in feedback_files(list(results.values()))}
    assert set(html) == set(cohort)
    assert "全部测试通过" in html["ada_perfect"] and "All tests passed" in html["ada_perfect"]
    assert "还没有实现" in html["ben_blank"]
    for student, page in html.items():  # formulas are MathML, built in; nothing loads MathJax
        assert "<math" in page and "<script" not in page and "$$" not in page, student


@pytest.mark.parametrize("graded", ["planar_classification"], indirect=True)
def test_nbgrader_feedback_pages_render_in_a_browser_with_their_formulas(graded, browser):
    from browser_support import assert_page_renders

    _, _, results = graded
    pages = feedback_files([results["ada_perfect"], results["ben_blank"]])
    assert len(pages) == 2
    for path in pages:
        visit = browser.visit(path)
        assert_page_renders(visit)
        assert "Score" in visit.text


@pytest.mark.parametrize("graded", ["deep_nn_step_by_step"], indirect=True)
def test_feedback_shows_no_hidden_test_and_no_hidden_value(graded):
    """Autograding restores the hidden blocks of the test cells; the feedback must not show them,
    nor the expected value of a failed hidden case (chen's compute_cost fails its hidden cases)."""
    _, _, results = graded
    html = {path.parts[-3]: path.read_text(encoding="utf-8") for path in feedback_files(list(results.values()))}
    hidden_cost = read_cases(HIDDEN_DIR / "deep_nn_step_by_step.h5", "compute_cost")[0]["expected"]
    secret = f"{float(hidden_cost):.10g}"
    assert len(secret.replace(".", "").lstrip("0")) >= 9  # a 10-digit text, not a round number
    for student, page in html.items():
        assert "BEGIN HIDDEN TESTS" not in page and "END HIDDEN TESTS" not in page, student
        assert 'suite="hidden"' not in page and "suite=&quot;hidden&quot;" not in page, student
        assert secret not in page, student
    chen = html["chen_cost_without_mean"]
    assert "hidden case 1" in chen and "隐藏用例 1" in chen  # the hidden failure is named, without values
    assert "90.0 / 100.0" in chen and "0.0 / 10.0" in chen  # the points are still shown
    assert "hidden tests failed" in chen


class _FlakyNbgrader:
    """A stand-in for NbGraderAPI whose first autograde of each student fails."""

    def __init__(self, failures):
        self.failures, self.calls = dict(failures), []

    def update_config(self, config):
        pass

    def autograde(self, assignment, student, **_):
        self.calls.append(student)
        if self.failures.get(student, 0) > 0:
            self.failures[student] -= 1
            return {"success": False, "log": "Kernel died before replying to kernel_info"}
        return {"success": True}


def test_a_failed_autograde_is_tried_once_more(monkeypatch):
    import grading.autograde as autograde

    flaky = _FlakyNbgrader({"once": 1, "always": 5})
    monkeypatch.setattr(autograde, "api", lambda: flaky)
    monkeypatch.setattr(autograde, "restore_course_files", lambda *_: None)
    monkeypatch.setattr(autograde, "fill_scores", lambda results: results)
    said = []
    results = {r.student: r for r in autograde.grade("any", ["once", "always"], feedback=False, log=said.append)}
    assert flaky.calls == ["once", "once", "always", "always"]
    assert results["once"].error == "" and "Kernel died" in results["always"].error
    assert sum("trying once more" in line for line in said) == 2
