"""Pairs of submissions whose answer cells are near-identical: reported to the
instructor, never scored.

Each answer cell is reduced to a token stream (:func:`normalise`): comments,
docstrings and layout are dropped and the names a cell binds (its variables,
parameters, helper functions) become ``v0, v1, ...`` in order of first use, so
renaming variables or reformatting does not hide a copy. Only the tokens a
student wrote beyond the released starter cell are compared, per function,
with ``difflib.SequenceMatcher``.

What is evidence (see :func:`similar_pairs`):

- an answer with fewer than ``min_tokens`` tokens beyond the starter (an
  unchanged blank cell, a one-word edit) is ignored;
- an answer shared, above the threshold, by at least ``max(5, common_share ×
  students who answered)`` students is the canonical answer, not a copy, and is
  ignored;
- a pair is reported when at least ``min_functions`` (default 2) functions are
  above the threshold, or one function is above it with at least
  ``long_tokens`` (default 80) tokens on both sides: every correct
  ``return 1 / (1 + np.exp(-z))`` looks alike, so one short match is not enough.
"""

import ast
import builtins
import io
import keyword
import math
import re
import tokenize
from dataclasses import dataclass
from difflib import SequenceMatcher

PRESERVED = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
# Used only when a cell does not parse (no way to tell bound names from module aliases then).
COMMON_MODULES = frozenset({"np", "numpy", "math", "plt", "matplotlib", "h5py", "scipy", "copy", "random",
                            "sklearn", "os", "sys", "time"})
COMMON_MIN = 5  # fewer students than this sharing an answer is a copy ring, never "the canonical answer"
LAYOUT = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT,
                    tokenize.ENCODING, tokenize.ENDMARKER})
STATEMENT_START = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING})
MAGIC_LINE = re.compile(r"^[ \t]*[%!].*$", re.M)
# Fallback tokenizer for cells tokenize rejects (unclosed brackets or strings, bad dedents).
PLAIN_TOKEN = re.compile(r"""
    (?P<triple>[rRbBuUfF]{0,2}(?:\"\"\"(?:\\.|[^\\])*?(?:\"\"\"|\Z)|'''(?:\\.|[^\\])*?(?:'''|\Z)))
  | (?P<string>[rRbBuUfF]{0,2}(?:"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?))
  | (?P<comment>\#[^\n]*)
  | (?P<name>[^\W\d]\w*)
  | (?P<number>\d[\w.]*|\.\d[\w.]*)
  | (?P<op>\*\*=?|//=?|->|:=|[-+*/%&|^<>=!]=|<<=?|>>=?|\S)
""", re.X | re.S)


@dataclass(frozen=True)
class SimilarPair:
    """student_a < student_b; score -- token-weighted mean similarity (0..1) over the functions
    both answered with evidence; functions -- the functions above the threshold, sorted."""

    student_a: str
    student_b: str
    score: float
    functions: tuple


def _literal(text):
    """Strings and numbers in one spelling ('W1' == "W1", .01 == 0.01); unchanged if not a plain literal."""
    try:
        return repr(ast.literal_eval(text))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text  # f-strings, huge or odd literals: keep as written


def _python_tokens(source):
    """Significant tokens of ``source`` via tokenize: [(kind, text)], kind "name", "op", "literal".

    Docstrings and other bare-string statements are dropped (a string statement is a run of
    STRING tokens that starts a logical line and ends it). Raises tokenize.TokenError,
    IndentationError or SyntaxError when tokenize gives up.
    """
    raw = [tok for tok in tokenize.generate_tokens(io.StringIO(source).readline)
           if not (tok.type == tokenize.ERRORTOKEN and not tok.string.strip())]
    out, i = [], 0
    while i < len(raw):
        tok = raw[i]
        if tok.type == tokenize.STRING and (i == 0 or raw[i - 1].type in STATEMENT_START):
            j = i
            while j < len(raw) and raw[j].type in (tokenize.STRING, tokenize.COMMENT, tokenize.NL):
                j += 1
            if j == len(raw) or raw[j].type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                i = j  # a docstring or a string used as a comment
                continue
        if tok.type not in LAYOUT:
            if tok.type == tokenize.NAME:
                out.append(("name", tok.string))
            elif tok.type in (tokenize.STRING, tokenize.NUMBER):
                out.append(("literal", _literal(tok.string)))
            else:
                out.append(("op", tok.string))
        i += 1
    return out


def _plain_tokens(source):
    """Tokens by regular expression, for cells even tokenize rejects: [(kind, text)].
    Comments and triple-quoted strings (nearly always docstrings) are dropped."""
    out = []
    for match in PLAIN_TOKEN.finditer(source):
        group = match.lastgroup
        if group in ("triple", "comment"):
            continue
        kind = {"name": "name", "string": "literal", "number": "literal"}.get(group, "op")
        out.append((kind, _literal(match.group()) if kind == "literal" else match.group()))
    return out


def _bound_names(tree):
    """Names the code binds (assigned, parameters, loop targets, defined functions/classes,
    except/with aliases); imports are not included, so module aliases like np keep their name."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
    return bound


def _imported_names(source):
    """Names an unparsable cell imports (rough: read from the import lines), kept unrenamed."""
    names = set()
    for line in source.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith(("import ", "from ")) and " import " in f" {line} ":
            after = line.split("import", 1)[1] if line.startswith("import ") else line.split(" import ", 1)[1]
            for part in after.strip("() ").split(","):
                words = part.split()
                if words:
                    names.add(words[-1].split(".")[0])
    return names


def _parse(source):
    """(AST or None, source used): IPython magic lines (%..., !...) are blanked if that makes it parse."""
    for text in (source, MAGIC_LINE.sub("", source)):
        try:
            return ast.parse(text), text
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue  # ValueError: null bytes
    return None, source


def normalise(source):
    """The token stream that answer cells are compared by.

    Input:   source -- Python source of one or more answer cells (may not parse).
    Returns: tuple of token strings, without comments, docstrings, blank lines or whitespace;
             literals in one spelling; names the code binds renamed ``v0, v1, ...`` in order of
             first appearance. Builtins, keywords, attribute names after a dot, keyword-argument
             names in calls and names the code only reads (module aliases such as ``np``, other
             cells' functions) keep their name. If the source does not parse, every name but
             builtins, keywords, attributes and imported or usual module aliases is renamed.
    """
    tree, text = _parse(source or "")
    try:
        tokens = _python_tokens(text)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        tokens = _plain_tokens(text)
    if tree is not None:
        bound = _bound_names(tree) - PRESERVED

        def renamed(name):
            return name in bound
    else:
        kept = PRESERVED | COMMON_MODULES | _imported_names(text)

        def renamed(name):
            return name not in kept

    canonical, out, brackets = {}, [], []
    for i, (kind, tok) in enumerate(tokens):
        before = tokens[i - 1] if i else ("op", "")
        if kind == "op":
            if tok in ("(", "[", "{"):
                # A call's keyword arguments name the callee's parameters: those are not renamed.
                if tok == "(" and i >= 2 and tokens[i - 2] == ("name", "def"):
                    brackets.append("def")
                elif tok == "(" and ((before[0] == "name" and before[1] not in keyword.kwlist) or before[1] in (")", "]")):
                    brackets.append("call")
                else:
                    brackets.append("group")
            elif tok in (")", "]", "}") and brackets:
                brackets.pop()
            out.append(tok)
        elif kind == "name" and renamed(tok) and before != ("op", ".") \
                and not (brackets and brackets[-1] == "call" and tokens[i + 1:i + 2] == [("op", "=")]):
            out.append(canonical.setdefault(tok, f"v{len(canonical)}"))
        else:
            out.append(tok)
    return tuple(out)


def _beyond_starter(tokens, starter):
    """The tokens a student wrote: ``tokens`` minus what lines up with the starter's tokens."""
    if not starter:
        return tokens
    matcher = SequenceMatcher(None, starter, tokens, autojunk=False)
    return tuple(tok for tag, _, _, j1, j2 in matcher.get_opcodes() if tag in ("replace", "insert")
                 for tok in tokens[j1:j2])


def _ordered(a, b):
    """The two token tuples in one fixed order: SequenceMatcher.ratio is not exactly symmetric."""
    return (a, b) if (len(a), a) <= (len(b), b) else (b, a)


def _ratio(a, b):
    first, second = _ordered(a, b)
    return SequenceMatcher(None, first, second, autojunk=False).ratio()


def _function_matches(by_student, threshold):
    """Pairs of students above ``threshold`` for one function.

    Input:   by_student -- {student: token tuple}.
    Returns: {(student_a, student_b): ratio} with student_a < student_b.
    """
    groups = {}
    for student, tokens in by_student.items():
        groups.setdefault(tokens, []).append(student)  # identical answers are compared once
    distinct = sorted(groups, key=lambda t: (len(t), t))
    found = {}

    def add(students_a, students_b, ratio):
        for a in students_a:
            for b in students_b:
                if a != b:
                    found[(a, b) if a < b else (b, a)] = ratio

    for tokens in distinct:
        add(groups[tokens], groups[tokens], 1.0)
    # ratio <= 2·min(la, lb) / (la + lb): with lengths sorted, later entries beyond this bound cannot match.
    bound = (2 - threshold) / threshold if threshold > 0 else math.inf
    matcher = SequenceMatcher(None, autojunk=False)
    for i, short in enumerate(distinct):
        matcher.set_seq1(short)
        for longer in distinct[i + 1:]:
            if len(longer) > len(short) * bound:
                break
            matcher.set_seq2(longer)
            if matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    add(groups[short], groups[longer], ratio)
    return found


def similar_pairs(answers, starter=None, threshold=0.9, min_tokens=15, min_functions=2, long_tokens=80,
                  common_share=0.2):
    """Pairs of students whose answer cells are near-identical.

    Inputs:  answers -- {student: {function: source of that student's answer cell(s)}};
             starter -- {function: source of the released (blank) answer cell}, or None;
             threshold -- SequenceMatcher ratio (0..1) from which a function counts as near-identical;
             min_tokens -- an answer with fewer normalised tokens beyond the starter is not evidence;
             min_functions -- functions above the threshold that report a pair on their own;
             long_tokens -- one function above the threshold reports a pair when both answers have at
                            least this many tokens beyond the starter;
             common_share -- an answer near-identical to at least max(5, common_share × students
                             answering that function) students' is the canonical answer and not
                             evidence; None keeps every answer.
    Returns: list of SimilarPair, score descending, then by student names (deterministic).
             score is the mean of the per-function ratios over the functions both students answered
             with evidence, weighted by their token counts, so long functions weigh more.
    """
    starter_tokens = {function: normalise(source) for function, source in (starter or {}).items()}
    evidence = {}  # {function: {student: tokens beyond the starter}}
    for student, cells in answers.items():
        for function, source in (cells or {}).items():
            tokens = _beyond_starter(normalise(source or ""), starter_tokens.get(function))
            if len(tokens) >= min_tokens:
                evidence.setdefault(function, {})[student] = tokens

    above = {}  # {(student_a, student_b): {function: ratio}}
    for function in sorted(evidence):
        by_student = evidence[function]
        matches = _function_matches(by_student, threshold)
        if common_share is not None:
            shared = {}
            for a, b in matches:
                shared[a] = shared.get(a, 1) + 1
                shared[b] = shared.get(b, 1) + 1
            limit = max(COMMON_MIN, math.ceil(common_share * len(by_student)))
            common = {student for student, count in shared.items() if count >= limit}
            for student in common:
                del by_student[student]  # not evidence anywhere, the score included
            matches = {pair: r for pair, r in matches.items() if pair[0] not in common and pair[1] not in common}
        for pair, ratio in matches.items():
            above.setdefault(pair, {})[function] = ratio

    pairs = []
    for (a, b), functions in above.items():
        long_match = any(min(len(evidence[f][a]), len(evidence[f][b])) >= long_tokens for f in functions)
        if len(functions) < min_functions and not long_match:
            continue
        total = weight = 0.0
        for function, by_student in evidence.items():
            if a in by_student and b in by_student:
                ta, tb = by_student[a], by_student[b]
                ratio = functions[function] if function in functions else _ratio(ta, tb)
                total += ratio * (len(ta) + len(tb))
                weight += len(ta) + len(tb)
        pairs.append(SimilarPair(a, b, round(total / weight, 4), tuple(sorted(functions))))
    pairs.sort(key=lambda p: (-p.score, p.student_a, p.student_b))
    return pairs


def format_report(pairs, limit=20):
    """Lines for the cohort summary.

    Inputs:  pairs -- list of SimilarPair (as from similar_pairs); limit -- most pairs listed.
    Returns: bilingual text, one header line then one line per pair (or a line saying none).
    """
    lines = ["similar answer cells (reported, not scored) / 答题单元格高度相似（仅供参考，不计分）:"]
    if not pairs:
        lines.append("  none found / 未发现")
    for pair in pairs[:limit]:
        lines.append(f"  {pair.student_a} ~ {pair.student_b}: {pair.score:.2f} ({', '.join(pair.functions)})")
    if len(pairs) > limit:
        lines.append(f"  ... {len(pairs) - limit} more pairs not listed / 另有 {len(pairs) - limit} 对未列出")
    return "\n".join(lines)
