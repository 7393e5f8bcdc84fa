"""The English/Chinese pairing of prose cells, and single-language versions.

Rules (checked by :func:`pairing_problems`):

- every markdown cell carries ``metadata.dlcourse.lang`` ("en" or "zh") and a ``pair`` id;
- an English cell is followed directly by the Chinese cell of the same pair;
- the Chinese cell's ``translates`` equals the hash of the English text, so an
  edit of the English side flags the translation as stale until a translator
  has revised it and accepted it (``python -m grading bilingual --accept``);
- pair ids are ASCII and unique; the Chinese cell contains Chinese text;
- a learner's or given code cell has a current Chinese translation of each docstring and of
  each English-only comment (grading.code_language), for the Chinese-only release;
- a message the code prints in both languages goes through ``say(en, zh, between)``
  (grading.printouts.unsaid_printouts), so that a single-language release prints one.
"""

import copy
import re

import nbformat

from .cells import META_KEY, english_hash, is_expected_output, read, write
from .code_language import accept_docstring, localized_source, translation_problems
from .printouts import localize_quotes, say_calls, unsaid_printouts

LANGUAGES = ("en", "zh")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _meta(cell):
    return cell.metadata.get(META_KEY, {})


def pairing_problems(nb, name="notebook"):
    """List of human-readable problems with the notebook's pairing (empty when sound)."""
    problems = []
    cells = nb.cells
    seen = set()
    index = 0
    while index < len(cells):
        cell = cells[index]
        if cell.cell_type != "markdown":
            problems += translation_problems(cell, f"{name}, cell {index}")
            index += 1
            continue
        meta = _meta(cell)
        where = f"{name}, cell {index}"
        if meta.get("lang") != "en":
            problems.append(f"{where}: a markdown cell without an English partner before it "
                            f"(lang={meta.get('lang')!r}, pair={meta.get('pair')!r})")
            index += 1
            continue
        pair = meta.get("pair", "")
        if not pair or not pair.isascii():
            problems.append(f"{where}: pair id must be a non-empty ASCII string, got {pair!r}")
        if pair in seen:
            problems.append(f"{where}: pair id {pair!r} is used twice")
        seen.add(pair)
        partner = cells[index + 1] if index + 1 < len(cells) else None
        partner_meta = _meta(partner) if partner is not None else {}
        if partner is None or partner.cell_type != "markdown" or partner_meta.get("lang") != "zh" \
                or partner_meta.get("pair") != pair:
            problems.append(f"{where}: English cell {pair!r} has no Chinese cell right after it")
            index += 1
            continue
        if partner_meta.get("translates") != english_hash(cell.source):
            problems.append(f"{where}: the Chinese cell of {pair!r} is stale: the English text changed "
                            f"after it was translated (revise it, then accept it)")
        if not _HAN.search(partner.source):
            problems.append(f"{where}: the Chinese cell of {pair!r} contains no Chinese text")
        index += 2
    for index, line in unsaid_printouts(nb):
        problems.append(f"{name}, cell {index}: {line!r} prints Chinese without say(): write print(say(en, zh, between)), "
                        f"so that each single-language release prints its language and quotes it (grading.printouts)")
    return problems


def accept(path, pair):
    """Record that the Chinese cell of ``pair`` has been revised to match the English one;
    ``docstring:<function>`` names the Chinese docstring of a function instead."""
    nb = read(path)
    if pair.startswith("docstring:"):
        accept_docstring(nb, pair.removeprefix("docstring:"))
        write(nb, path)
        return
    for index, cell in enumerate(nb.cells):
        meta = _meta(cell)
        if meta.get("lang") == "en" and meta.get("pair") == pair:
            partner = nb.cells[index + 1]
            _meta(partner)["translates"] = english_hash(cell.source)
            write(nb, path)
            return
    raise KeyError(f"no English cell with pair {pair!r} in {path}")


def single_language(nb, lang, calls=None):
    """A copy of ``nb`` keeping only the prose of ``lang`` (code cells are shared).

    Inputs:  nb -- a notebook; lang -- "en" or "zh";
             calls -- the say() calls whose printouts its quotes show (grading.printouts.say_calls of
             the source notebook, whose solutions may print too; default: those of ``nb``).
    Returns: a new notebook; nbgrader metadata and every code cell are kept, their
             comments and docstrings in ``lang`` (grading.code_language), so the version
             grades exactly like the bilingual one; each expected-output quote shows what the
             code prints in ``lang`` (grading.printouts).
    Raises:  grading.printouts.UnresolvedQuote -- a quote that cannot be put in ``lang``.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    calls = say_calls(nb) if calls is None else calls
    result = nbformat.from_dict(copy.deepcopy(nb))
    result.cells = [cell for cell in result.cells
                    if cell.cell_type != "markdown" or _meta(cell).get("lang", lang) == lang]
    for cell in result.cells:
        if cell.cell_type == "code":
            cell.source = localized_source(cell, lang)  # comments and docstrings only (grading.code_language)
        elif is_expected_output(cell):
            cell.source = localize_quotes(cell, lang, calls)  # say() prints one language there
    result.metadata[META_KEY] = {"language_version": lang}
    return result
