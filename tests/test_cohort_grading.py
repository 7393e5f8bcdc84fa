"""Grading a cohort: every adversarial fixture gets the grade it must get, the
gradebook holds one row per submission, and the pieces behave on their own."""

import json
import zipfile

import nbformat
import numpy as np
import pytest

from cohort_support import ASSIGNMENT, FIXTURES, PeakMemory, expected_grades, mismatches, subset
from grading.cohort import grade_cohort
from grading.cohort import gradebook as cohort_gradebook
from grading.cohort.course import load_spec, public_test_source
from grading.cohort.intake import collect, read_notebook
from grading.cohort.source_scan import scan
from helpers.errors import CourseError


@pytest.fixture(scope="module")
def memory():
    return {}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, memory):
    out = tmp_path_factory.mktemp("cohort-sqlite")
    with PeakMemory() as sampled:
        result = grade_cohort(FIXTURES, out_dir=out, workers=2, cell_timeout=10, notebook_timeout=20, memory_mb=1500,
                              progress=False, log=lambda *_: None)
    memory["peak"], memory["largest"] = sampled.peak, sampled.largest
    return result


def test_the_grader_process_tree_stays_under_1_5_gb(graded, memory):
    # the fixtures include a 1 GB forged array, output floods and a memory-hungry kernel
    assert 0 < memory["peak"] < 1.5 * 2**30, f"{memory['peak'] / 2**20:.0f} MB; largest: {memory['largest']}"


def test_every_fixture_gets_its_grade(graded):
    assert mismatches(graded) == []


def test_the_time_of_each_phase_is_recorded(graded):
    # benchmarks/cohort_throughput.py prints these; every part of a submission's wall time is in one phase
    from grading.cohort.worker import PHASES

    ran = [r for r in graded.results if r.phases.get("cells") is not None]
    assert ran, "no submission reached its sandbox"
    for result in ran:
        assert set(result.phases) <= set(PHASES) and all(v >= 0 for v in result.phases.values())
        assert sum(result.phases.values()) <= result.seconds + 1e-6
    assert sum(sum(r.phases.values()) for r in ran) > 0.5 * sum(r.seconds for r in ran)
    assert set(graded.phases) == {"register", "intake", "grading", "gradebook", "reports"}
    assert graded.phases["grading"] > 0 and graded.workers == 2


def test_gradebook_holds_one_row_per_submission(graded):
    db_url = "sqlite:///" + str(graded.paths["csv"].parent / "gradebook.db")
    assert cohort_gradebook.count_submissions(db_url, ASSIGNMENT) == len(expected_grades())
    stored = cohort_gradebook.total_scores(db_url, ASSIGNMENT)
    assert stored == {row["student"]: row["total"] for row in graded.rows}


def test_cheating_is_flagged_and_does_not_pay(graded):
    rows = {row["student"]: row for row in graded.rows}
    assert "check_function" in rows["cheat-replace-checker"]["flags"]  # reported; the grader was not fooled
    assert "reference" in rows["cheat-reference-implementation"]["flags"]
    assert rows["cheat-reference-implementation"]["scores"]["linear_forward"] == 0
    assert "tampering" in rows["cheat-redefine-allclose"]["flags"]
    assert rows["perfect"]["flags"] == ""


def test_reports_csv_summary_histogram_feedback(graded):
    csv_text = graded.paths["csv"].read_text(encoding="utf-8")
    assert csv_text.count("\n") == len(expected_grades()) + 1
    assert "pass rate per exercise" in graded.summary and "各练习通过率" in graded.summary
    assert "not graded / 未评分: malformed-json" in graded.summary
    png = graded.paths["histograms"][0]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (graded.paths["feedback"] / "one-wrong-function" / ASSIGNMENT / "feedback.html").read_text(encoding="utf-8")
    assert "Total / 总分: 90 / 100" in page and "compute_cost" in page


def test_feedback_pages_render_in_a_browser_with_their_formulas(graded, browser):
    from browser_support import assert_page_renders

    for student in ("perfect", "one-wrong-function"):
        visit = browser.visit(graded.paths["feedback"] / student / ASSIGNMENT / "feedback.html")
        assert_page_renders(visit)
        assert "Total / 总分" in visit.text


def test_huge_output_is_truncated_in_feedback(graded):
    page = (graded.paths["feedback"] / "huge-output" / ASSIGNMENT / "feedback.html").read_text(encoding="utf-8")
    assert "output truncated by the grader" in page
    pages = list(graded.paths["feedback"].rglob("feedback.html"))
    assert pages and max(p.stat().st_size for p in pages) < 5_000_000


def test_grades_stored_after_the_grader_exits_equal_those_it_reported(graded):
    """cheat-daemon-rewrites-grades leaves a process meant to rewrite grades.csv, summary.txt and the
    gradebook five seconds later; its sandbox's PID namespace took it down with the kernel."""
    import csv
    import time

    time.sleep(6)
    db_url = "sqlite:///" + str(graded.paths["csv"].parent / "gradebook.db")
    assert cohort_gradebook.total_scores(db_url, ASSIGNMENT) == {row["student"]: row["total"] for row in graded.rows}
    with open(graded.paths["csv"], encoding="utf-8") as handle:
        stored = {row["student"]: float(row["total"]) for row in csv.DictReader(handle)}
    assert stored == {row["student"]: row["total"] for row in graded.rows}
    assert graded.paths["summary"].read_text(encoding="utf-8").strip() == graded.summary.strip()


def test_no_feedback_page_holds_a_hidden_value(graded):
    spec = load_spec(ASSIGNMENT)
    secrets = set()
    for cases in spec.cases.values():
        for case in cases:
            if case["suite"] == "hidden":
                secrets |= _long_numbers(case["expected"]) | _long_numbers(case["inputs"])
    assert len(secrets) > 20
    for page in graded.paths["feedback"].rglob("feedback.html"):
        text = page.read_text(encoding="utf-8")
        leaked = [number for number in secrets if number in text]
        assert leaked == [], f"{page.parent.parent.name}: {leaked[:3]}"
        assert "BEGIN HIDDEN TESTS" not in text


def _long_numbers(value):
    """Every number of a nested value written as the checker writes numbers, when that text is distinctive."""
    from helpers.checker import _fmt

    if isinstance(value, dict):
        return set().union(*(_long_numbers(v) for v in value.values())) if value else set()
    if isinstance(value, (list, tuple)):
        return set().union(*(_long_numbers(v) for v in value)) if value else set()
    values = np.ravel(np.asarray(value, dtype=float)) if isinstance(value, (int, float, np.ndarray)) else []
    return {_fmt(v) for v in values[:50] if len(_fmt(v).lstrip("-").replace(".", "").lstrip("0")) >= 8}


def test_fixtures_match_a_fresh_build(tmp_path, released):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES.parent / "make_cohort_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.main(tmp_path / "fresh")
    committed = sorted(p.relative_to(FIXTURES) for p in FIXTURES.rglob("*") if p.is_file())
    assert committed == sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    for relative in committed:
        assert (FIXTURES / relative).read_bytes() == (fresh / relative).read_bytes(), \
            f"{relative} is stale: run python tests/files/make_cohort_fixtures.py"


def test_zip_of_named_files_and_latest_attempt(tmp_path):
    perfect = (FIXTURES / "perfect" / ASSIGNMENT / "Deep_Neural_Network_Step_by_Step.ipynb").read_bytes()
    blank = (FIXTURES / "blank" / ASSIGNMENT / "Deep_Neural_Network_Step_by_Step.ipynb").read_bytes()
    archive = tmp_path / "collected.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("ps1_alice_attempt_2026-01-01-10-00-00_notebook.ipynb", blank)
        handle.writestr("ps1_alice_attempt_2026-01-02-10-00-00_notebook.ipynb", perfect)
        handle.writestr("ps1_bob_attempt_2026-01-01-09-00-00_notebook.ipynb", blank)
        handle.writestr("readme.txt", b"not a submission")
    found, cleanup = collect(archive, ASSIGNMENT, "Deep_Neural_Network_Step_by_Step.ipynb")
    try:
        by_student = {s.student: s for s in found}
        assert set(by_student) == {"alice", "bob", "readme"}
        assert by_student["alice"].origin.endswith("2026-01-02-10-00-00_notebook.ipynb")
        assert by_student["readme"].problem and "naming pattern" in by_student["readme"].problem[0]
    finally:
        cleanup()


@pytest.mark.slow
def test_grading_a_zip_end_to_end(tmp_path):
    perfect = (FIXTURES / "perfect" / ASSIGNMENT / "Deep_Neural_Network_Step_by_Step.ipynb").read_bytes()
    archive = tmp_path / "collected.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("ps1_carol_attempt_2026-01-02-10-00-00_notebook.ipynb", perfect)
        handle.writestr("ps1_dave_attempt_2026-01-02-10-00-00_notebook.ipynb", b"{ broken")
    result = grade_cohort(archive, [ASSIGNMENT], out_dir=tmp_path / "out", workers=1, progress=False, log=lambda *_: None)
    totals = {row["student"]: (row["total"], row["status"]) for row in result.rows}
    assert totals["carol"] == (100, "graded") and totals["dave"][0] == 0 and "JSON" in totals["dave"][1]


def test_a_folder_of_named_files_needs_its_assignment(tmp_path):
    from helpers.errors import CourseError

    (tmp_path / "x_attempt_1_y.ipynb").write_text("{}")
    with pytest.raises(CourseError):
        grade_cohort(tmp_path, out_dir=tmp_path / "out", progress=False, log=lambda *_: None)


def test_read_notebook_problems(tmp_path):
    path = tmp_path / "n.ipynb"
    path.write_bytes(b"\xff\xfe")
    assert "UTF-8" in read_notebook(path)[1][0]
    path.write_text('{"a": 1}')
    assert "not a notebook" in read_notebook(path)[1][0]
    path.write_text(json.dumps(nbformat.v4.new_notebook()))
    assert read_notebook(path)[1] is None


def test_source_scan_findings():
    graded = {"linear_forward", "compute_cost"}
    cells = [
        (None, "import numpy as np\nfrom helpers import deep_nn\nimport helpers.deep_nn as dnn"),
        ("linear_forward", "def linear_forward(A, W, b):\n    return dnn.linear_forward(A, W, b)"),
        ("compute_cost", "def compute_cost(AL, Y):\n    data = open('x').read()\n    return 0.0"),
        (None, "np.allclose = lambda *a, **k: True\nimport os\nos.environ['DLCOURSE_DB_URL'] = 'x'"),
    ]
    findings = scan(cells, graded, [1, 2, 3])
    kinds = {(f.kind, f.function) for f in findings}
    assert ("reference", "linear_forward") in kinds and ("reads_files", "compute_cost") in kinds
    assert any(f.kind == "tampering" and "np.allclose" in f.en for f in findings)
    assert all(f.zh for f in findings)
    assert not [f for f in scan([("linear_forward", "def linear_forward(A, W, b):\n    return np.dot(W, A) + b, (A, W, b)")],
                                graded, [0])]


def test_public_test_source_drops_the_hidden_block():
    source = "a = 1\n### BEGIN HIDDEN TESTS\nsecret()\n### END HIDDEN TESTS\nassert a"
    assert public_test_source(source) == "a = 1\nassert a"


def test_salted_hidden_cases_differ_and_the_reference_still_passes():
    plain = load_spec(ASSIGNMENT)
    salted = load_spec(ASSIGNMENT, secret="spring-2027")
    again = load_spec(ASSIGNMENT, secret="spring-2027")
    hidden = lambda spec: [c for c in spec.cases["linear_forward"] if c["suite"] == "hidden"]
    assert not np.allclose(hidden(plain)[0]["inputs"]["A"][0, 0], hidden(salted)[0]["inputs"]["A"][0, 0])
    assert np.array_equal(hidden(salted)[0]["inputs"]["A"], hidden(again)[0]["inputs"]["A"])
    from helpers.checker import first_difference
    from helpers.deep_nn import linear_forward

    for case in hidden(salted):
        assert first_difference(linear_forward(**case["inputs"]), case["expected"]) is None


@pytest.mark.slow  # remakes every hidden case of the planar recipe twice
def test_a_callers_seed_is_salted_and_set_by_the_harvest(tmp_path, monkeypatch):
    """initialize_parameters leaves the seeding to its caller: its cases carry the seed. A salted
    remake salts that seed too, and the harvest inside the kernel sets it before every call."""
    import h5py

    from grading.expected import reference_namespace, source_notebook
    from helpers.case_store import call_case, read_value
    from helpers.checker import first_difference
    from helpers.harvest import INPUTS, OUTPUTS, harvest

    name = "initialize_parameters"
    seeds = lambda spec: [case["seed"] for case in spec.cases[name] if case["suite"] == "hidden"]
    plain, salted = load_spec("planar_classification"), load_spec("planar_classification", secret="spring-2027")
    assert None not in seeds(salted) and not set(seeds(plain)) & set(seeds(salted))
    reference = reference_namespace(source_notebook("planar_classification"))[name]
    for case in salted.cases[name]:
        np.random.seed(0)  # a state the case's own seed must replace
        produced, _ = call_case(reference, name, case["inputs"], case["seed"])
        assert first_difference(produced, case["expected"]) is None

    monkeypatch.chdir(tmp_path)
    (tmp_path / INPUTS).write_bytes(salted.inputs_file)
    np.random.seed(0)
    harvest(name, {name: reference})
    with h5py.File(tmp_path / OUTPUTS / f"{name}.h5", "r") as out:
        for number, case in enumerate(salted.cases[name]):
            assert first_difference(read_value(out[f"{number:03d}"]["output"]), case["expected"]) is None


@pytest.mark.slow
def test_salted_grading_still_grades_right(tmp_path):
    subset(tmp_path / "submitted", ["perfect", "one-wrong-function"])
    result = grade_cohort(tmp_path / "submitted", out_dir=tmp_path / "out", workers=2, secret="autumn",
                          progress=False, log=lambda *_: None)
    assert {row["student"]: row["total"] for row in result.rows} == {"perfect": 100, "one-wrong-function": 90}


def test_feedback_page_keeps_prose_code_and_outputs_and_renders_no_learner_html():
    from types import SimpleNamespace

    from grading.cohort.report import feedback_html
    from grading.cohort.results import SubmissionResult

    spec = SimpleNamespace(assignment="demo", max_score=10,
                           exercises=[SimpleNamespace(function="f", points=10)])
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## 2 - The task\n\nA long paragraph with $W^{[1]}$."),
                nbformat.v4.new_markdown_cell("my own note <img src=x onerror=alert(2)>"),
                nbformat.v4.new_code_cell('page = "<script>alert(1)</script>"\nprint(page)')]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="<b>printed</b>\n"),
                           nbformat.v4.new_output("display_data", data={"text/html": "<i>rich</i>",
                                                                        "text/plain": "<Plain>"}),
                           nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=\n"}),
                           nbformat.v4.new_output("display_data", data={"image/png": '" onerror="alert(3)'}),
                           nbformat.v4.new_output("error", ename="ValueError", evalue="bad",
                                                  traceback=["\x1b[0;31mValueError\x1b[0m: bad <x>"])]
    result = SubmissionResult("s1", "demo", scores={"f": 0.0}, reasons={"f": ("wrong <shape>", "形状错误")})
    page = feedback_html(result, spec, nb)
    assert "Total / 总分: 0 / 10" in page and "wrong &lt;shape&gt; / 形状错误" in page
    assert "<h2>2 - The task</h2>" in page and "A long paragraph" in page and "<msup><mi>W</mi>" in page
    assert "<img src=x" not in page and "my own note &lt;img" in page
    assert "<script>alert(1)" not in page and "alert" in page
    assert "<b>printed</b>" not in page and "&lt;b&gt;printed" in page
    assert "<i>rich</i>" not in page and "&lt;Plain&gt;" in page
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in page and "alert(3)" not in page
    assert "\x1b" not in page and "ValueError: bad &lt;x&gt;" in page


def grader_that_dies_on_kill_me(task):
    """Stands in for grade_submission: kills its own worker process for one student."""
    import os

    from grading.cohort.results import SubmissionResult

    if task["student"] == "kill-me":
        os._exit(3)
    return SubmissionResult(task["student"], task["assignment"])


def test_a_dead_worker_process_costs_only_its_own_submission(monkeypatch):
    from types import SimpleNamespace

    from grading.cohort import coordinator

    monkeypatch.setattr(coordinator, "grade_submission", grader_that_dies_on_kill_me)
    spec = SimpleNamespace(exercises=[SimpleNamespace(function="f", points=10)], functions=["f"])
    students = [f"s{n}" for n in range(6)] + ["kill-me"] + [f"t{n}" for n in range(6)]
    tasks = [{"student": name, "assignment": "a", "spec": spec} for name in students]
    results = {r.student: r for r in coordinator._run(tasks, 2, None, False)}
    assert sorted(results) == sorted(students)
    assert all(results[name].error is None for name in students if name != "kill-me")
    assert "died again and again" in results["kill-me"].error[0] and results["kill-me"].scores == {"f": 0.0}


@pytest.mark.slow
def test_a_roster_from_the_gradebook_reports_unknown_ids_and_grades_the_rest(tmp_path):
    submitted = subset(tmp_path / "submitted", ["perfect", "blank"])
    db_url = "sqlite:///" + str(tmp_path / "out" / "gradebook.db")
    (tmp_path / "out").mkdir()
    with pytest.raises(CourseError) as empty:
        grade_cohort(submitted, out_dir=tmp_path / "out", roster="gradebook", progress=False, log=lambda *_: None)
    assert "nbgrader db student import" in empty.value.en and "名单" in empty.value.zh
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as book:
        book.add_student("perfect")
    result = grade_cohort(submitted, out_dir=tmp_path / "out", roster="gradebook", workers=1, cell_timeout=10,
                          notebook_timeout=20, progress=False, log=lambda *_: None)
    rows = {row["student"]: row for row in result.rows}
    assert rows["perfect"]["total"] == 100 and rows["perfect"]["status"] == "graded"
    blank = next(r for r in result.results if r.student == "blank")
    assert rows["blank"]["status"] != "graded" and "not on the roster" in blank.error[0] and blank.error[1]
    assert cohort_gradebook.count_submissions(db_url, ASSIGNMENT) == 2  # reported, and still one row each


def test_gradebook_batch_refused_by_the_database_is_stored_one_by_one(tmp_path, monkeypatch, recwarn):
    from types import SimpleNamespace

    from nbgrader.api import Gradebook

    from grading.cohort.results import SubmissionResult

    db_url = "sqlite:///" + str(tmp_path / "gradebook.db")
    with Gradebook(db_url) as book:
        book.add_assignment("demo")
        book.add_notebook("demo", "demo")
        book.add_grade_cell("test_f", "demo", "demo", max_score=10, cell_type="code")
        book.add_solution_cell("f", "demo", "demo")
    spec = SimpleNamespace(exercises=[SimpleNamespace(function="f", test_id="test_f", points=10)])
    results = [SubmissionResult(name, "demo", scores={"f": score}) for name, score in (("a", 10.0), ("b", 0.0), ("c", 10.0))]
    results[1].reasons["f"] = ("wrong", "不对")
    store, failed = cohort_gradebook._store, []

    def store_failing_once_for_b(gradebook, assignment, notebook_id, spec, result):
        store(gradebook, assignment, notebook_id, spec, result)
        if result.student == "b" and not failed:
            failed.append(True)
            raise RuntimeError("the database refused the batch")

    monkeypatch.setattr(cohort_gradebook, "_store", store_failing_once_for_b)
    assert cohort_gradebook.record(db_url, "demo", "demo.ipynb", spec, results) == 3
    assert failed and cohort_gradebook.total_scores(db_url, "demo") == {"a": 10.0, "b": 0.0, "c": 10.0}
    assert [str(w.message) for w in recwarn if "not in session" in str(w.message)] == []  # a quiet terminal
    with Gradebook(db_url) as book:
        assert book.find_comment("f", "demo", "demo", "b").auto_comment == "f: wrong / 不对"


def test_histogram_counts_in_whole_numbers_with_bilingual_labels():
    import matplotlib.pyplot as plt

    from grading.cohort.report import histogram_figure
    from helpers.plotting import setup_fonts

    rows = [{"assignment": "demo", "status": "graded", "total": total} for total in (0, 70, 90, 100, 100)]
    figure = histogram_figure(rows, "demo", 100)
    axes = figure.axes[0]
    try:
        ticks = axes.get_yticks()
        assert len(ticks) >= 2 and all(float(tick).is_integer() for tick in ticks)
        if setup_fonts():  # Chinese is drawn only where a CJK font is installed
            assert axes.get_ylabel() == "submissions / 提交数" and axes.get_xlabel() == "score / 得分"
        assert axes.get_title() == "demo (5)"
    finally:
        plt.close(figure)


def test_the_runner_and_the_grader_agree_on_the_harvest_cells_key():
    # sandbox_runner.py runs as a plain file inside the sandbox and cannot import repair
    from grading.cohort import repair, sandbox_runner

    assert sandbox_runner.HARVEST_KEY == repair.HARVEST_KEY
