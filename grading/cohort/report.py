"""What an instructor reads after a grading run: the grades CSV, a summary
(per-exercise pass rates, score histogram, flagged submissions) and one HTML
feedback page per student, in English and Chinese."""

import csv
import functools
import html
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell


def write_csv(rows, path):
    """rows: [{"student", "assignment", "scores": {exercise: points}, "total", "max", "status", "flags", "sandboxed"}]."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    exercises = list(dict.fromkeys(name for row in rows for name in row["scores"]))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", *exercises, "total", "max", "status", "sandboxed", "flags"])
        for row in rows:
            writer.writerow([row["student"], row["assignment"],
                             *[f"{row['scores'][e]:g}" if e in row["scores"] else "" for e in exercises],
                             f"{row['total']:g}", f"{row['max']:g}", row["status"],
                             "yes" if row.get("sandboxed", True) else "no", row.get("flags", "")])
    return path


def summary(rows, assignment, exercises, max_score):
    """Text summary: counts, per-exercise pass rates, flags. Returns (text, pass_rates)."""
    graded = [row for row in rows if row["assignment"] == assignment]
    ok = [row for row in graded if row["status"] == "graded"]
    rates = {}
    for exercise in exercises:
        passed = sum(1 for row in ok if row["scores"].get(exercise, 0) > 0)
        rates[exercise] = passed / len(ok) if ok else 0.0
    lines = [f"== {assignment}: {len(graded)} submissions, {len(ok)} graded, {len(graded) - len(ok)} not gradable ==",
             f"== {assignment}：共 {len(graded)} 份提交，{len(ok)} 份已评分，{len(graded) - len(ok)} 份无法评分 =="]
    if ok:
        totals = sorted(row["total"] for row in ok)
        import statistics

        lines.append(f"mean {statistics.mean(totals):.1f} / {max_score:g}, median {statistics.median(totals):g}")
    unsandboxed = [row["student"] for row in graded if not row.get("sandboxed", True)]
    if unsandboxed:
        lines.append(f"UNSANDBOXED: {len(unsandboxed)} submissions were graded without a sandbox; their grades can be gamed. / "
                     f"未沙箱化：{len(unsandboxed)} 份提交在没有沙箱的情况下评分，成绩可能被操纵。")
    width = max((len(e) for e in exercises), default=10)
    lines.append("pass rate per exercise / 各练习通过率:")
    lines += [f"  {e.ljust(width)}  {rates[e] * 100:5.1f} %" for e in exercises]
    for row in graded:
        if row["status"] != "graded":
            lines.append(f"  not graded / 未评分: {row['student']}: {row['status']}")
        if row.get("flags"):
            lines.append(f"  flagged / 有标记: {row['student']}: {row['flags']}")
    return "\n".join(lines), rates


def histogram(rows, assignment, max_score, path):
    """Score histogram of the graded submissions, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from helpers.plotting import label

    totals = [row["total"] for row in rows if row["assignment"] == assignment and row["status"] == "graded"]
    figure, axes = plt.subplots(figsize=(6, 3.5))
    bins = [edge * max_score / 10 for edge in range(11)]
    axes.hist(totals, bins=bins, color="#4c72b0", edgecolor="white")
    axes.set_xlabel(label("score", "得分"))
    axes.set_ylabel(label("submissions", "提交数"))
    axes.set_title(f"{assignment} ({len(totals)})")
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


@functools.lru_cache(maxsize=None)
def _exporter():
    """One HTMLExporter per process: loading and compiling its templates costs more than a page."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="classic", template_file="feedback.html.j2",
                        extra_template_paths=[str(Path(__file__).parent / "templates")])


def _headings_only(cell):
    """A markdown cell reduced to its headings (or None): the student has the lesson's prose,
    the feedback page needs only its outline, and rendering the prose is most of the page's cost."""
    headings = [line for line in cell.source.splitlines() if line.lstrip().startswith("#")]
    return new_markdown_cell("\n\n".join(headings)) if headings else None


def feedback_html(result, spec, executed=None):
    """One student's feedback page (HTML text): a bilingual summary table, then their
    executed notebook: every code cell with its outputs, and the headings of the prose.

    Inputs: result -- SubmissionResult; spec -- AssignmentSpec; executed -- the notebook as run, or None.
    """
    lines = [f"# {spec.assignment} — {result.student}", "",
             "| exercise / 练习 | points / 得分 | why / 原因 |", "|---|---|---|"]
    for exercise in spec.exercises:
        reason = result.reasons.get(exercise.function)
        why = html.escape(f"{reason[0]} / {reason[1]}") if reason else "✓"
        lines.append(f"| {exercise.function} | {result.scores.get(exercise.function, 0):g} / {exercise.points:g} | {why} |")
    total = result.total
    lines += ["", f"**Total / 总分: {total:g} / {spec.max_score:g}**"]
    if result.error:
        lines += ["", f"**{html.escape(result.error[0])}**  ", f"**{html.escape(result.error[1])}**"]
    for en, zh in result.notes:
        lines += ["", f"- {html.escape(en)}  ", f"  {html.escape(zh)}"]
    nb = nbformat.from_dict(executed or nbformat.v4.new_notebook())
    cells = [new_markdown_cell("\n".join(lines))]
    for cell in nb.cells:
        kept = _headings_only(cell) if cell.cell_type == "markdown" else cell
        if kept is not None:
            cells.append(kept)
    nb.cells = cells
    body, _ = _exporter().from_notebook_node(nb)
    return body
