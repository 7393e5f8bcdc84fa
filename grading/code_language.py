"""Code cells in one language: their comments and docstrings, never their code.

The source notebooks keep code comments in both languages, ``# English / 中文`` or an
English line followed by its Chinese line, and docstrings in English; a code cell's Chinese docstrings and the Chinese of its
English-only comments sit in its metadata::

    metadata["dlcourse"]["zh_code"] = {
        "docstrings": {"<function>": {"text": "<Chinese docstring>", "translates": "<hash>"}},
        "comments": {"<English comment>": "<Chinese comment>"},
    }

``translates`` is :func:`grading.cells.english_hash` of the English docstring it was written
from, so an edit of the English flags the Chinese as stale (:func:`translation_problems`),
as for prose cells. The single-language releases (grading.release) call
:func:`localized_source`: a ``# English / 中文`` comment keeps its language's half, a
two-line pair its language's line, an
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
    tail = re.fullmatch(r"(.*\S)\s*\(([^()]*)\)", text)
    if tail and not text.startswith("("):  # "English / 中文 (≈ 1 line of code / 约 1 行代码)"
        head, bracket = split_comment(tail.group(1), lang), split_comment(f"({tail.group(2)})", lang)
        if head is not None and bracket is not None:
            return head + (" " if lang == "en" else "") + bracket
    inner, wrap = text, ("", "")
    if text.startswith("(") and text.endswith(")"):
        inner, wrap = text[1:-1], ("(", ")") if lang == "en" else ("（", "）")
    parts = inner.split(" / ")
    for cut in range(len(parts) - 1, 0, -1):
        english, chinese = " / ".join(parts[:cut]), " / ".join(parts[cut:])
        balanced = all(part.count("(") == part.count(")") for part in (english, chinese))
        if _HAN.search(chinese) and not _HAN.search(english) and balanced:
            return wrap[0] + (english if lang == "en" else chinese) + wrap[1]
    return None


_FULL_LINE_COMMENT = re.compile(r"^(\s*)#\s?(.*)$")


def comment_pairs(source):
    """[(English line index, Chinese line index)]: a whole-line English comment directly followed
    by its Chinese on the next line, at the same indentation (the course's two-line style)."""
    lines, pairs = source.splitlines(), []
    for index in range(len(lines) - 1):
        first, second = _FULL_LINE_COMMENT.match(lines[index]), _FULL_LINE_COMMENT.match(lines[index + 1])
        if first and second and first.group(1) == second.group(1) and not first.group(2).startswith("##") \
                and not _HAN.search(first.group(2)) and re.search(r"[A-Za-z]{3}", first.group(2)) \
                and _HAN.search(second.group(2)) and split_comment(second.group(2), "zh") is None:
            pairs.append((index, index + 1))
    return pairs


def _localized_comments(source, lang, comments):
    pairs = comment_pairs(source)
    if pairs:  # keep one line of each two-line pair: the English one, or the Chinese one
        dropped = {chinese if lang == "en" else english for english, chinese in pairs}
        source = "".join(line for index, line in enumerate(source.splitlines(keepends=True)) if index not in dropped)
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
    for mixed in unsplittable_comments(cell.source):
        problems.append(f"{where}: the comment {mixed!r} mixes the languages in a way the releases cannot split "
                        f"(write 'English / 中文', or an English line followed by its Chinese line)")
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
    paired = {source.splitlines()[english] for english, _ in comment_pairs(source)}
    found = []
    for token in tokens:
        if token.type == tokenize.COMMENT and token.line.rstrip("\n") in paired:
            continue  # its Chinese is the next line
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


def unsplittable_comments(source):
    """Comments with Chinese that are neither ``English / 中文`` nor the Chinese line of a pair."""
    lines = source.splitlines()
    chinese_lines = {lines[chinese] for _, chinese in comment_pairs(source)}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    found = []
    for token in tokens:
        body = token.string[1:].strip() if token.type == tokenize.COMMENT else ""
        if not body or body.startswith("##") or not _HAN.search(body) or token.line.rstrip("\n") in chinese_lines:
            continue
        if re.search(r"[A-Za-z]{3,}", re.sub(r"`[^`]*`|[A-Za-z_]\w*\(|\b[A-Za-z_]*\d\w*", "", body)) \
                and split_comment(body, "zh") is None:
            found.append(body)
    return found
