"""``grade_cohort``: one call grades every submission of one or more assignments.

Steps: register the assignments in the gradebook (nbgrader's release), collect
the submissions, grade them in parallel (local worker processes, or a Dask
cluster given its scheduler address), then write the gradebook, the grades CSV,
the summary with a histogram per assignment, and one feedback page per student.
"""

import contextlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from helpers.errors import CourseError

from . import gradebook, intake, report, sandbox, similarity
from .course import course_root, load_spec
from .results import ungraded
from .worker import grade_submission


@dataclass
class CohortResult:
    """rows -- one dict per submission (student, assignment, scores, total, max, status, flags);
    paths -- where the CSV, summary, histograms and feedback went; seconds -- wall time;
    phases -- {phase: seconds} of the coordinator: register, intake, grading (the workers' wall
    time), gradebook, reports; workers -- how many graded."""

    rows: list
    summary: str
    paths: dict
    seconds: float
    results: list = field(default_factory=list)
    phases: dict = field(default_factory=dict)
    workers: int = 1


@contextlib.contextmanager
def _environment(**values):
    old = {key: os.environ.get(key) for key in values}
    os.environ.update({key: value for key, value in values.items() if value is not None})
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _register(assignments, root, out_dir, db_url):
    """nbgrader's release into ``out_dir``, which creates the assignments in the gradebook
    (without the single-language copies, which grading does not need)."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from grading.release import release

    with _environment(DLCOURSE_BUILD_DIR=str(out_dir), DLCOURSE_DB_URL=db_url):
        release(assignments, log=lambda *_: None, single_languages=())


def _tasks(submissions, spec, limits, feedback, unsandboxed):
    for submission in submissions:
        if submission.problem:
            continue
        yield {"student": submission.student, "assignment": submission.assignment, "notebook": submission.notebook,
               "notes": submission.notes, "spec": spec, **limits, "feedback": feedback, "unsandboxed": unsandboxed}


def _run(tasks, workers, scheduler, progress):
    """Yield grade_submission's result for each of ``tasks``, in completion order, with a progress bar.

    All tasks go to one pool, whatever their assignment, so no worker waits for the
    slowest submission of one assignment before starting on the next.
    """
    from tqdm import tqdm

    bar = tqdm(total=len(tasks), desc="grading / 评分", unit="submission", disable=not progress, file=sys.stderr)
    try:
        if scheduler:
            from distributed import Client
            from distributed import as_completed as dask_completed

            with Client(scheduler) as client:
                futures = {client.submit(grade_submission, task, pure=False): task for task in tasks}
                for future in dask_completed(list(futures)):
                    try:
                        result = future.result()
                    except Exception as exc:  # Dask already retried it on other workers (KilledWorker)
                        result = _worker_died(futures[future], exc)
                    bar.update()
                    yield result
        elif workers <= 1:
            for task in tasks:
                bar.update()
                yield grade_submission(task)
        else:
            lost = []
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(grade_submission, task): task for task in tasks}
                for future in as_completed(futures):
                    try:
                        result = future.result()
                    except Exception:  # the worker process died (a dead pool fails every pending task)
                        lost.append(futures[future])
                        continue
                    bar.update()
                    yield result
            # Each lost task again, alone in a fresh process, so that one submission that
            # kills its worker costs only its own grade.
            for task in lost:
                with ProcessPoolExecutor(max_workers=1) as pool:
                    try:
                        result = pool.submit(grade_submission, task).result()
                    except Exception as exc:
                        result = _worker_died(task, exc)
                bar.update()
                yield result
    finally:
        bar.close()


def _worker_died(task, exc):
    """The result of a submission whose grading process kept dying: zero, with the reason."""
    return ungraded(task["student"], task["assignment"], task["spec"].functions, task.get("notes", []),
                    (f"the grading process died again and again on this submission ({type(exc).__name__}); "
                     "grade it by hand",
                     f"评分进程在这份提交上多次意外退出（{type(exc).__name__}）；请人工评分"),
                    sandboxed=not task.get("unsandboxed"))


def _row(result, spec):
    return {"student": result.student, "assignment": result.assignment, "scores": dict(result.scores),
            "total": result.total, "max": spec.max_score, "status": result.status, "flags": result.flags(),
            "sandboxed": result.sandboxed}


def default_workers():
    """One worker per core, plus one: a worker's kernel sits idle while the worker itself
    decides the grades and renders the feedback page, and the extra worker fills those gaps."""
    return (os.cpu_count() or 1) + 1


def grade_cohort(submissions, assignments=None, out_dir="build/cohort", db_url=None, workers=None, scheduler=None,
                 cell_timeout=60, memory_mb=2048, secret=None, naming=intake.DEFAULT_NAMING, progress=True,
                 feedback=True, root=None, log=print, notebook_timeout=600, unsandboxed=False, roster=None):
    """Grade every submission found in ``submissions``.

    Inputs:
        submissions -- nbgrader ``submitted/`` tree, a folder or a .zip of notebooks named by student.
        assignments -- assignment ids (default: every assignment found in a submitted tree;
                       required for a folder or zip of named files: exactly one).
        out_dir -- where feedback, CSV, summary and histograms go (and the gradebook by default).
        db_url -- SQLAlchemy URL of the gradebook (default: SQLite in out_dir/gradebook.db).
        workers -- local worker processes (default: default_workers(), cores + 1);
                   scheduler -- Dask scheduler address (overrides workers).
        cell_timeout -- seconds per cell; notebook_timeout -- seconds for all of a notebook's cells;
        memory_mb -- address-space limit of every process of a submission's sandbox.
        unsandboxed -- the instructor's explicit opt-out where bubblewrap is missing: every grade is
                       then marked unsandboxed (CSV and summary). Without it, grading refuses to start.
        secret -- the course offering's secret: hidden inputs are remade with salted seeds.
        roster -- None (every student id is accepted), a collection of student ids, or "gradebook"
                  (the students already in the gradebook); an id not on it is reported, not graded.
    Returns: CohortResult.
    """
    started = time.perf_counter()
    workers = workers or default_workers()
    root = Path(root or course_root())
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    db_url = db_url or "sqlite:///" + str(out_dir / "gradebook.db")
    source = Path(submissions)
    known = sorted(p.name for p in (root / "notebooks").iterdir() if any(p.glob("*.ipynb")))
    if assignments:
        unknown = [a for a in assignments if a not in known]
        if unknown:
            raise CourseError(f"unknown assignments {unknown}; known: {known}", f"没有这些作业：{unknown}；现有作业：{known}")
    elif source.is_dir() and any((child / a).is_dir() for child in source.iterdir() if child.is_dir() for a in known):
        assignments = [a for a in known if any((child / a).is_dir() for child in source.iterdir() if child.is_dir())]
    else:
        raise CourseError("name the assignment of a folder or zip of notebooks (--assignment).",
                          "对于按学生命名的 notebook 文件夹或 zip，请用 --assignment 指定作业。")
    if not unsandboxed:
        sandbox.check_available()
    specs = {assignment: load_spec(assignment, root, secret) for assignment in assignments}
    if roster == "gradebook":
        roster = gradebook.roster(db_url)
        if not roster:
            raise CourseError("the gradebook has no students to use as a roster; import them first "
                              "(nbgrader db student import) or leave out --roster.",
                              "成绩库里还没有学生，无法作为名单使用；请先导入学生（nbgrader db student import），或者不用 --roster。")
    phases = {"register": 0.0, "intake": 0.0, "grading": 0.0, "gradebook": 0.0, "reports": 0.0}
    mark = time.perf_counter()
    _register(assignments, root, out_dir, db_url)
    phases["register"] = time.perf_counter() - mark
    log(f"grading {', '.join(assignments)} from {source} into {db_url}")
    found, tasks, cleanups, written = {}, [], [], {}
    try:
        mark = time.perf_counter()
        for assignment, spec in specs.items():
            found[assignment], cleanup = intake.collect(source, assignment, spec.notebook_name, naming,
                                                         roster=roster)
            cleanups.append(cleanup)
            limits = {"cell_timeout": cell_timeout, "notebook_timeout": notebook_timeout, "memory_mb": memory_mb}
            tasks += _tasks(found[assignment], spec, limits, feedback, unsandboxed)
        done = {assignment: [ungraded(s.student, assignment, spec.functions, s.notes, s.problem,
                                      sandboxed=not unsandboxed)
                             for s in found[assignment] if s.problem]
                for assignment, spec in specs.items()}
        phases["intake"] = time.perf_counter() - mark

        def write_if_complete(assignment):
            # An assignment is written out as soon as its last submission is graded,
            # while the workers go on with the others.
            if assignment not in written and len(done[assignment]) == len(found[assignment]):
                written[assignment] = _finish(assignment, specs[assignment], done[assignment], out_dir, db_url, phases)

        for assignment in specs:  # those with nothing to run (no submission, or none readable)
            write_if_complete(assignment)
        mark = time.perf_counter()
        for result in _run(tasks, workers, scheduler, progress):
            done[result.assignment].append(result)
            write_if_complete(result.assignment)
        phases["grading"] = time.perf_counter() - mark
    finally:
        for cleanup in cleanups:
            cleanup()
    rows, all_results, summaries = [], [], []
    paths = {"histograms": [], "feedback": out_dir / "feedback"}
    for assignment in specs:
        results, own_rows, text, histogram = written[assignment]
        all_results += results
        rows += own_rows
        summaries.append(text)
        paths["histograms"].append(histogram)
    paths["csv"] = report.write_csv(rows, out_dir / "grades.csv")
    paths["summary"] = out_dir / "summary.txt"
    summary_text = "\n\n".join(summaries)
    paths["summary"].write_text(summary_text + "\n", encoding="utf-8")
    return CohortResult(rows, summary_text, paths, time.perf_counter() - started, all_results, phases,
                        1 if workers <= 1 and not scheduler else workers)


def _finish(assignment, spec, results, out_dir, db_url, phases):
    """Write one fully graded assignment: gradebook, feedback pages, summary, histogram.

    Returns: (results sorted by student, CSV rows, summary text, histogram path).
    """
    results.sort(key=lambda r: r.student)
    mark = time.perf_counter()
    gradebook.record(db_url, assignment, spec.notebook_name, spec, results)
    phases["gradebook"] += time.perf_counter() - mark
    mark = time.perf_counter()
    rows = []
    figures = report.lesson_figures(spec.course_files)
    for result in results:
        html, result.feedback_html = result.feedback_html, None
        if html:
            page = out_dir / "feedback" / result.student / assignment / "feedback.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(html, encoding="utf-8")
            for name, data in figures.items():  # the lesson's prose shows them by relative path
                (page.parent / name).write_bytes(data)
        rows.append(_row(result, spec))
    text, _ = report.summary(rows, assignment, spec.functions, spec.max_score)
    starter = {cell.metadata["nbgrader"]["grade_id"]: sandbox.SOLUTION_BLOCK.sub(r"\1raise NotImplementedError()", cell.source)
               for cell in spec.source_cells if cell.metadata.get("nbgrader", {}).get("solution")}
    pairs = similarity.similar_pairs({r.student: r.answers for r in results if r.answers}, starter)
    text += "\n" + similarity.format_report(pairs)
    histogram = report.histogram(rows, assignment, spec.max_score, out_dir / f"histogram_{assignment}.png")
    phases["reports"] += time.perf_counter() - mark
    return results, rows, text, histogram
