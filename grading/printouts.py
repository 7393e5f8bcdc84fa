"""The bilingual printouts of a notebook's own code, and its quotes of them in one language.

A code cell prints a message for the learner with ``print(say(en, zh, between))``
(helpers.language): the bilingual notebook prints ``en + between + zh``, an English-only or
Chinese-only release prints ``en`` or ``zh``. The "expected output" quotes are made from a
bilingual run (grading.quotes), so the single-language releases rewrite each quoted say()
printout to the half their code prints (:func:`localize_quote`, called by
grading.bilingual.single_language).

The (en, zh, between) of each printout come from the say() calls of the notebook's code cells
(:func:`say_calls`), parsed, not executed: a literal part is text to find, any other part
(``str(x)``, ``{difference}``) a hole that matches the text of one line, and a hole for the same
expression in both halves matches the same text in both. A quoted line that holds Chinese no
say() call explains raises :class:`UnresolvedQuote`, so that no quote is left bilingual (or
Chinese in the English release) without a word; grading.release turns it into a ReleaseError.

:func:`unsaid_printouts` finds the Chinese a notebook prints without say() (grading.bilingual
reports it), and :func:`run_recording_say` runs a notebook noting every say() call, for the tests
that compare each single-language release's quotes with what that language prints.
"""

import ast
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import quotes
from .quotes import QUOTE
from helpers.language import ENV as LANGUAGE_ENV

_HAN = re.compile(r"[\u4e00-\u9fff]")
_MAGIC = re.compile(r"^\s*[%!]")


class UnresolvedQuote(ValueError):
    """A quote cannot be put in one language: it holds Chinese that no say() call of the notebook prints."""


@dataclass(frozen=True)
class Hole:
    """A part of a say() argument that is not a literal; ``key`` names the expression."""

    key: str


@dataclass(frozen=True)
class SayCall:
    """One say(en, zh, between) call: each half as a tuple of literal strings and :class:`Hole` s."""

    en: tuple
    zh: tuple
    between: str
    where: str

    def pattern(self):
        """The regular expression of its bilingual printout, with groups "en" and "zh" (a compiled re)."""
        names = {}
        en, zh = _regex(self.en, names), _regex(self.zh, names)
        # a hole at either end has no literal to stop it: it takes the rest of its line
        start = r"(?<![^\n])" if self.en and isinstance(self.en[0], Hole) else ""
        earlier = {part.key for part in self.en + self.zh[:-1] if isinstance(part, Hole)}
        # ...unless it is a back-reference, whose text is already fixed
        end = r"(?![^\n])" if self.zh and isinstance(self.zh[-1], Hole) and self.zh[-1].key not in earlier else ""
        return re.compile(f"{start}(?P<en>{en}){re.escape(self.between)}(?P<zh>{zh}){end}")

    def usable(self):
        """Whether its literals can tell its printout from other text: some English letters in the
        English half and some Chinese in the Chinese half."""
        en_text = "".join(part for part in self.en if isinstance(part, str))
        zh_text = "".join(part for part in self.zh if isinstance(part, str))
        return bool(re.search(r"[A-Za-z]{2}", en_text)) and bool(_HAN.search(zh_text))


def _regex(parts, names):
    """Regex source of one half: literals escaped, a hole as a lazy group within one line, a hole
    already named in ``names`` (the same expression met before, in the English half say) as a back-reference."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(re.escape(part))
        elif part.key in names:
            out.append(f"(?P={names[part.key]})")
        else:
            names[part.key] = f"h{len(names)}"
            out.append(f"(?P<{names[part.key]}>[^\\n]*?)")
    return "".join(out)


def _parts(node):
    """Parts of a string expression: tuple of literal strings and Holes, adjacent literals joined."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts = [node.value]
    elif isinstance(node, ast.JoinedStr):
        parts = [value.value if isinstance(value, ast.Constant) else Hole(ast.dump(value)) for value in node.values]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = list(_parts(node.left)) + list(_parts(node.right))
    else:
        # str(x) and an f-string's {x} print the same text: one key, so both halves share the hole
        inner = node.args[0] if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id == "str" and len(node.args) == 1 and not node.keywords else node
        parts = [Hole(ast.dump(ast.FormattedValue(value=inner, conversion=-1, format_spec=None)))]
    joined = []
    for part in parts:
        if isinstance(part, str) and joined and isinstance(joined[-1], str):
            joined[-1] += part
        elif part != "":
            joined.append(part)
    return tuple(joined)


def _is_call_of(node, name):
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == name)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == name))


def _is_say(node):
    return _is_call_of(node, "say")


def parse_code(source):
    """The syntax tree of a code cell, IPython's ``%magic`` and ``!shell`` lines blanked (None if it does not parse)."""
    lines = ["" if _MAGIC.match(line) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def say_calls(nb):
    """The say() calls of the code cells of ``nb`` that print a literal-framed message.

    Inputs:  nb -- a notebook (the source, with its solutions: a say() inside them counts too).
    Returns: list of SayCall, without repeats; a call whose ``between`` is not a literal string is left
             out (its printout then cannot be resolved, and a quote of it fails loudly).
    """
    found = {}
    for index, cell in enumerate(nb.cells):
        tree = parse_code(cell.source) if cell.cell_type == "code" else None
        for node in ast.walk(tree) if tree else ():
            if not _is_say(node) or len(node.args) < 2:
                continue
            between = node.args[2] if len(node.args) > 2 else next(
                (k.value for k in node.keywords if k.arg == "between"), ast.Constant("\n"))
            if not (isinstance(between, ast.Constant) and isinstance(between.value, str)):
                continue
            call = SayCall(_parts(node.args[0]), _parts(node.args[1]), between.value, f"cell {index}, line {node.lineno}")
            found.setdefault((call.en, call.zh, call.between), call)
    return list(found.values())


def unsaid_printouts(nb):
    """Chinese that the code of ``nb`` prints, or gives an assert as its message, without say(): a
    Chinese literal outside say(), a plot label(), or a name bound to either, in a print() or an
    assert's message. A single-language release would print both languages there.

    Inputs:  nb -- a notebook.
    Returns: list of (cell index, line of code), empty when every such message goes through say().
    """
    trees = [(index, parse_code(cell.source)) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    trees = [(index, tree) for index, tree in trees if tree is not None]
    said = {id(inner) for _, tree in trees for node in ast.walk(tree) if _is_say(node) for inner in ast.walk(node)}

    def chinese(node):
        return any((isinstance(n, ast.Constant) and isinstance(n.value, str) and _HAN.search(n.value)
                    and id(n) not in said) or _is_call_of(n, "label") for n in ast.walk(node))

    # names bound only to such text (a message defined in one cell, printed in another); a name also
    # bound otherwise (a loop variable, say) is left alone
    stores, to_chinese = Counter(), Counter()
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                stores[node.id] += 1
            elif isinstance(node, ast.Assign) and chinese(node.value):
                to_chinese.update(target.id for target in node.targets if isinstance(target, ast.Name))
    bound = {name for name, count in to_chinese.items() if count == stores[name]}
    found = []
    for index, tree in trees:
        lines = nb.cells[index].source.splitlines()
        for node in ast.walk(tree):
            shown = node.args if _is_call_of(node, "print") else [node.msg] if isinstance(node, ast.Assert) \
                and node.msg is not None else []
            if any(chinese(arg) or any(isinstance(n, ast.Name) and n.id in bound for n in ast.walk(arg))
                   for arg in shown):
                found.append((index, lines[node.lineno - 1].strip()))
    return found


def localize_quote(text, lang, calls):
    """A quoted bilingual printout as the code prints it in ``lang``.

    Inputs:  text -- the quote (what the bilingual notebook printed); lang -- "en" or "zh";
             calls -- SayCall list of the notebook (:func:`say_calls`).
    Returns: str, each printout of a say() call replaced by its ``lang`` half.
    Raises:  UnresolvedQuote -- Chinese in ``text`` that no call's printout covers, or Chinese left
             in an English quote (the text of a hole).
    """
    usable = [call for call in calls if call.usable()]
    matches = [(m.start(), -m.end(), m) for call in usable for m in call.pattern().finditer(text)]
    chosen, covered_to = [], 0
    for start, _, match in sorted(matches, key=lambda item: item[:2]):  # leftmost, then longest
        if start >= covered_to:
            chosen.append(match)
            covered_to = match.end()
    pieces, position = [], 0
    for match in chosen + [None]:
        end = match.start() if match else len(text)
        _refuse_chinese(text, position, end)
        pieces.append(text[position:end])
        if match:
            pieces.append(match.group(lang))
            position = match.end()
    result = "".join(pieces)
    if lang == "en" and _HAN.search(result):
        raise UnresolvedQuote(f"the English quote keeps Chinese: {_line_of(result, _HAN.search(result).start())!r}")
    return result


def _refuse_chinese(text, start, end):
    """Raise UnresolvedQuote when ``text[start:end]``, a part of a quote that no say() printout covers, holds Chinese."""
    found = _HAN.search(text, start, end)
    if found:
        raise UnresolvedQuote(f"the quoted line {_line_of(text, found.start())!r} holds Chinese that no say() call of the "
                              f"notebook prints: print bilingual messages with say(en, zh, between), or leave them "
                              f"out of the quoted cell")


def _line_of(text, offset):
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:end if end >= 0 else len(text)]


def localize_quotes(cell, lang, calls):
    """The source of an expected-output ``cell`` with every quoted block in ``lang`` (:func:`localize_quote`);
    the message of an UnresolvedQuote names the cell's pair."""
    pair = cell.metadata.get("dlcourse", {}).get("pair")

    def block(match):
        try:
            body = localize_quote(match.group(1), lang, calls)
        except UnresolvedQuote as error:
            raise UnresolvedQuote(f"quote {pair!r}: {error}") from None
        return "```text\n" + body + "\n```"

    return QUOTE.sub(block, cell.source)


# An IPython startup file for :func:`run_recording_say`: it wraps helpers.language.say before any
# cell imports it, so every call (the notebook's and the helpers') is noted, and its output unchanged.
_RECORDER = """\
def _dlcourse_record_say():
    import json
    import os

    import helpers.language as language

    log, unrecorded = os.environ["DLCOURSE_SAY_LOG"], language.say

    def say(en, zh, between="\\n", chosen=None):
        with open(log, "a", encoding="utf-8") as file:
            file.write(json.dumps([en, zh, between], ensure_ascii=False) + "\\n")
        return unrecorded(en, zh, between, chosen)

    language.say = say


_dlcourse_record_say()
del _dlcourse_record_say
"""


def run_recording_say(path, timeout=300):
    """Execute the notebook at ``path`` bilingually, as grading.quotes.run does, noting every say() call.

    Inputs:  path -- a notebook file; timeout -- seconds allowed per cell.
    Returns: (the executed notebook, list of the (en, zh, between) of each say() call, in call order).
    """
    with tempfile.TemporaryDirectory(prefix="dlcourse-say-") as folder:
        startup = Path(folder, "profile_default", "startup")
        startup.mkdir(parents=True)
        (startup / "00-record-say.py").write_text(_RECORDER, encoding="utf-8")
        log = Path(folder, "said.jsonl")
        env = dict(os.environ, IPYTHONDIR=folder, DLCOURSE_SAY_LOG=str(log))
        env.pop(LANGUAGE_ENV, None)  # the quotes are made from a bilingual run
        nb = quotes.run(path, timeout=timeout, env=env)
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return nb, [tuple(json.loads(line)) for line in lines]
