"""Code cells in one language: their comments and docstrings, never their code.

The source notebooks keep code comments in both languages, ``# English / 中文``, and
docstrings in English; a code cell's Chinese docstrings and the Chinese of its
English-only comments sit in its metadata::

    metadata["dlcourse"]["zh_code"] = {
        "docstrings": {"<function>": {"text": "<Chinese docstring>", "translates": "<hash>"}},
        "comments": {"<English comment>": "<Chinese comment>"},
    }

``translates`` is :func:`grading.cells.english_hash` of the English docstring it was written
from, so an edit of the English flags the Chinese as stale (:func:`translation_problems`),
as for prose cells. The single-language releases (grading.release) call
:func:`localized_source`: a ``# English / 中文`` comment keeps its language's half, an
English-only comment its translation (zh), a docstring its translation (zh). Only the
learner's cells and the given code change: locked and test cells stay as nbgrader stored
them, and the code itself (the syntax tree without docstrings) is the same in every
language, so the three releases grade alike (tests/test_release.py).
"""

import ast
import io
import re
import tokenize

from .cells import META_KEY, english_hash

_HAN = re.compile(r"[\u4e00-\u9fff]")
KEY = "zh_code"


def translations(cell):
    """The cell's ``zh_code`` metadata: {"docstrings": {...}, "comments": {...}} (empty parts if none)."""
    found = cell.metadata.get(META_KEY, {}).get(KEY, {})
    return {"docstrings": found.get("docstrings", {}), "comments": found.get("comments", {})}


def localizable(cell):
    """Whether the release may change the comments and docstrings of ``cell``: a code cell that
    nbgrader neither locks nor grades (those it restores from the source when grading)."""
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and not meta.get("locked") and not meta.get("grade")


def docstrings(source):
    """{function or class name: its English docstring, cleaned} of a cell's source ({} if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    return {node.name: ast.get_docstring(node, clean=True) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)}


def split_comment(text, lang):
    """One language of a comment ``text`` (without its "#"): the half of ``English / 中文``,
    a parenthesised ``(English / 中文)`` keeping its brackets; None when it is not bilingual."""
    inner, wrap = text, ("", "")
    if text.startswith("(") and text.endswith(")"):
        inner, wrap = text[1:-1], ("(", ")") if lang == "en" else ("（", "）")
    parts = inner.split(" / ")
    for cut in range(len(parts) - 1, 0, -1):
        english, chinese = " / ".join(parts[:cut]), " / ".join(parts[cut:])
        if _HAN.search(chinese) and not _HAN.search(english):
            return wrap[0] + (english if lang == "en" else chinese) + wrap[1]
    return None


def _localized_comments(source, lang, comments):
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source
    lines = source.splitlines(keepends=True)
    for token in reversed([t for t in tokens if t.type == tokenize.COMMENT]):
        body = token.string[1:].strip()
        if body.startswith("##"):  # nbgrader's markers
            continue
        new = split_comment(body, lang)
        if new is None and lang == "zh":
            new = comments.get(body)
        if new is None:
            continue
        row, col = token.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + "# " + new + line[token.end[1]:]
    return "".join(lines)


def _localized_docstrings(source, texts):
    """``source`` with the docstring of each function named in ``texts`` replaced by its text,
    at the docstring's indentation, in its style (one line, or quotes on lines of their own)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    targets = [(node.body[0], texts[node.name]) for node in ast.walk(tree)
               if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node) and node.name in texts]
    for expr, text in sorted(targets, key=lambda target: -target[0].lineno):
        indent = " " * expr.col_offset
        first, last = expr.lineno - 1, expr.end_lineno - 1
        ending = "\n" if lines[last].endswith("\n") else ""
        if first == last and "\n" not in text:
            block = f'{indent}"""{text}"""{ending}'
        else:
            body = "".join((indent + line if line.strip() else "") + "\n" for line in text.splitlines())
            block = f'{indent}"""\n{body}{indent}"""{ending}'
        lines[first:last + 1] = [block]
    return "".join(lines)


def localized_source(cell, lang):
    """The source of ``cell`` in ``lang`` ("en" or "zh"): comments (and, for zh, docstrings) of
    that language; the source unchanged for a cell the release must not change."""
    if not localizable(cell):
        return cell.source
    found = translations(cell)
    source = cell.source
    if lang == "zh":
        texts = {name: entry["text"] for name, entry in found["docstrings"].items()}
        source = _localized_docstrings(source, texts)
    return _localized_comments(source, lang, found["comments"])


def translation_problems(cell, where):
    """Missing or stale Chinese of a code cell's docstrings and English-only comments."""
    if not localizable(cell):
        return []
    problems, found = [], translations(cell)
    for name, english in docstrings(cell.source).items():
        entry = found["docstrings"].get(name)
        if entry is None:
            problems.append(f"{where}: the docstring of {name} has no Chinese translation")
        elif entry.get("translates") != english_hash(english):
            problems.append(f"{where}: the Chinese docstring of {name} is stale: the English changed after it was "
                            f"translated (revise it, then accept it: --accept <notebook> docstring:{name})")
    for english in english_only_comments(cell.source):
        if english not in found["comments"]:
            problems.append(f"{where}: the comment {english!r} has no Chinese (write it as 'English / 中文' "
                            f"or give its translation)")
    return problems


def english_only_comments(source):
    """Comments of ``source`` in English only (no Chinese half), nbgrader's markers and
    "GRADED FUNCTION" headers aside."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    found = []
    for token in tokens:
        body = token.string[1:].strip() if token.type == tokenize.COMMENT else ""
        if not body or body.startswith(("##", "GRADED FUNCTION")) or _HAN.search(body):
            continue
        if re.search(r"[A-Za-z]{3,}", body) and body not in found:
            found.append(body)
    return found


def record(nb, docstrings_zh=None, comments_zh=None):
    """Attach Chinese docstrings ({function: text}) and comments ({English: Chinese}) to the code
    cells of ``nb`` that hold them, marked as translations of the current English; returns the
    names and comments that no localizable cell holds (nothing recorded for them)."""
    unplaced = set(docstrings_zh or {}) | set(comments_zh or {})
    for cell in nb.cells:
        if not localizable(cell):
            continue
        found = translations(cell)
        for name, english in docstrings(cell.source).items():
            if name in (docstrings_zh or {}):
                found["docstrings"][name] = {"text": docstrings_zh[name], "translates": english_hash(english)}
                unplaced.discard(name)
        for english in english_only_comments(cell.source):
            if english in (comments_zh or {}):
                found["comments"][english] = comments_zh[english]
                unplaced.discard(english)
        if found["docstrings"] or found["comments"]:
            cell.metadata.setdefault(META_KEY, {})[KEY] = found
    return sorted(unplaced)


def accept_docstring(nb, function):
    """Record that the Chinese docstring of ``function`` has been revised to match the English one."""
    for cell in nb.cells:
        english = docstrings(cell.source).get(function) if localizable(cell) else None
        entry = translations(cell)["docstrings"].get(function)
        if english is not None and entry is not None:
            entry["translates"] = english_hash(english)
            return
    raise KeyError(f"no translated docstring of {function!r}")


def code_without_docstrings(source):
    """The syntax tree of ``source`` without docstrings or comments, as text: what a release may not change."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)) and ast.get_docstring(node):
            node.body = node.body[1:] or [ast.Pass()]
    return ast.dump(tree)
