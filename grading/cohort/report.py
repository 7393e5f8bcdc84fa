"""What an instructor reads after a grading run: the grades CSV, a summary
(per-exercise pass rates, score histogram, flagged submissions) and one HTML
feedback page per student, in English and Chinese."""

import csv
import functools
import html
import re
from pathlib import Path

from ..math_render import markdown_html


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
    """Score histogram of the graded submissions, saved as PNG; returns its path."""
    import matplotlib.pyplot as plt

    figure = histogram_figure(rows, assignment, max_score)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def histogram_figure(rows, assignment, max_score):
    """The matplotlib Figure of :func:`histogram`: ten bins of the graded totals, bilingual labels
    (when a CJK font is installed), integer count ticks."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from helpers.plotting import label

    totals = [row["total"] for row in rows if row["assignment"] == assignment and row["status"] == "graded"]
    figure, axes = plt.subplots(figsize=(6, 3.5))
    bins = [edge * max_score / 10 for edge in range(11)]
    axes.hist(totals, bins=bins, color="#4c72b0", edgecolor="white")
    axes.set_xlabel(label("score", "得分"))
    axes.set_ylabel(label("submissions", "提交数"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of submissions: no half ticks
    axes.set_title(f"{assignment} ({len(totals)})")
    figure.tight_layout()
    return figure


# Feedback pages: a light renderer, not nbconvert's pipeline. The lesson's markdown and code
# cells are the same for every student, so each is rendered once per worker process.
PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.5; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f7f7; padding: 0.5rem; margin: 0.25rem 0; }}
pre.stderr, pre.error {{ background: #fdecea; }}
div.code {{ border-left: 3px solid #4c72b0; margin: 1rem 0; }}
div.code > pre.input {{ background: #eef2f8; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 0.25rem 0.5rem; vertical-align: top; }}
img {{ max-width: 100%; }}
div.math {{ overflow-x: auto; margin: 0.5rem 0; }} math[display="block"] {{ font-size: 1.1em; }}
{highlight}
</style>
</head>
<body>
{body}
</body>
</html>
"""
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")


@functools.lru_cache(maxsize=4096)
def _code(source):
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return f'<pre class="input highlight">{highlight(source, PythonLexer(), HtmlFormatter(nowrap=True))}</pre>'


@functools.lru_cache(maxsize=1)
def _highlight_css():
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter().get_style_defs(".highlight")


def _text(value):
    """nbformat's multiline strings come as a str or a list of str; anything else is shown as text."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return str(value)


def _output(output):
    """One output of a code cell as HTML. Only text and images are shown: an HTML or JavaScript
    output of a learner's notebook is shown by its plain-text form, never rendered."""
    kind = output.get("output_type")
    if kind == "stream":
        name = "stderr" if output.get("name") == "stderr" else "stdout"
        return f'<pre class="{name}">{html.escape(_text(output.get("text", "")))}</pre>'
    if kind == "error":
        trace = ANSI.sub("", "\n".join(_text(line) for line in output.get("traceback") or []))
        trace = trace or f"{_text(output.get('ename', ''))}: {_text(output.get('evalue', ''))}"
        return f'<pre class="error">{html.escape(trace)}</pre>'
    data = output.get("data") if isinstance(output.get("data"), dict) else {}
    for mime in ("image/png", "image/jpeg"):
        image = _text(data.get(mime, ""))
        if image and BASE64.fullmatch(image):
            return f'<img alt="figure" src="data:{mime};base64,{"".join(image.split())}">'
    if "text/plain" in data:
        return f"<pre>{html.escape(_text(data['text/plain']))}</pre>"
    return ""


def _cell(cell):
    if cell.get("cell_type") == "markdown":
        return f'<div class="markdown">{markdown_html(_text(cell.get("source", "")))}</div>'
    if cell.get("cell_type") != "code":
        return ""
    outputs = "".join(_output(output) for output in cell.get("outputs") or [] if isinstance(output, dict))
    return f'<div class="code">{_code(_text(cell.get("source", "")))}{outputs}</div>'


FIGURE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif")


def lesson_figures(course_files):
    """The figures among an assignment's released files ({name: bytes}): a feedback page needs
    them beside it, as the notebook does, for the prose's ``![...](name)`` to show."""
    return {name: data for name, data in course_files.items() if name.lower().endswith(FIGURE_SUFFIXES)}


def feedback_html(result, spec, executed=None):
    """One student's feedback page (HTML text): a bilingual summary table, then their
    executed notebook: the lesson's prose, every code cell with its outputs.

    Inputs: result -- SubmissionResult; spec -- AssignmentSpec; executed -- the notebook as run
    (nbformat node or dict), or None.
    """
    rows = []
    for exercise in spec.exercises:
        reason = result.reasons.get(exercise.function)
        why = html.escape(f"{reason[0]} / {reason[1]}") if reason else "✓"
        rows.append(f"<tr><td>{html.escape(exercise.function)}</td>"
                    f"<td>{result.scores.get(exercise.function, 0):g} / {exercise.points:g}</td><td>{why}</td></tr>")
    title = html.escape(f"{spec.assignment} — {result.student}")
    parts = [f"<h1>{title}</h1>",
             "<table><tr><th>exercise / 练习</th><th>points / 得分</th><th>why / 原因</th></tr>",
             *rows, "</table>",
             f"<p><strong>Total / 总分: {result.total:g} / {spec.max_score:g}</strong></p>"]
    if result.error:
        parts.append(f"<p><strong>{html.escape(result.error[0])}<br>{html.escape(result.error[1])}</strong></p>")
    if result.notes:
        parts.append("<ul>" + "".join(f"<li>{html.escape(en)}<br>{html.escape(zh)}</li>" for en, zh in result.notes)
                     + "</ul>")
    cells = (executed or {}).get("cells") or []
    parts += [_cell(cell) for cell in cells if isinstance(cell, dict)]
    return PAGE.format(title=title, highlight=_highlight_css(), body="\n".join(parts))
