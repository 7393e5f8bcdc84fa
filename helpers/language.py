"""The language the course speaks to a learner: both (the default), English only or Chinese only.

Every learner-facing text of the helpers (check reports, errors, plot labels) is written in
both languages and goes through :func:`say`, which keeps what the setting asks for. The
setting is, first found:

1. :func:`set_language` called in the session (``set_language("zh")``);
2. the environment variable ``DLCOURSE_LANGUAGE`` (``en``, ``zh`` or ``bilingual``);
3. the file ``course_language.txt`` in the working folder, the notebook's: the English-only
   and Chinese-only releases (``build/release-en/``, ``build/release-zh/``) carry one, so their
   notebooks speak their language without a changed line of code (the three releases grade
   alike);
4. ``bilingual``.
"""

import os
from pathlib import Path

LANGUAGES = ("bilingual", "en", "zh")
ENV = "DLCOURSE_LANGUAGE"
LANGUAGE_FILE = "course_language.txt"
_chosen = None


_warned = set()


def _problem(value, origin):
    """(en, zh) saying that ``value`` is no language, or None when it is one."""
    if value in LANGUAGES:
        return None
    return (f"{origin} must be one of {', '.join(LANGUAGES)}, not {value!r}.",
            f"{origin} 只能是 {'、'.join(LANGUAGES)} 之一，而不是 {value!r}。")


def set_language(language):
    """Choose the language of this session: "bilingual", "en" or "zh" (None: back to the default rule)."""
    global _chosen
    if language is not None:
        problem = _problem(str(language).strip().lower(), "the language / 语言")
        if problem:
            from .errors import CourseError

            raise CourseError(*problem)
        language = str(language).strip().lower()
    _chosen = language


def language():
    """The language in use: "bilingual", "en" or "zh" (the rule of the module docstring).

    A setting that names no language (a typo in the variable or the file) is said once, in
    both languages, and the course stays bilingual.
    """
    if _chosen is not None:
        return _chosen
    marker = Path.cwd() / LANGUAGE_FILE
    if os.environ.get(ENV):
        value, origin = os.environ[ENV], ENV
    elif marker.is_file():
        value, origin = marker.read_text(encoding="utf-8").split("#")[0], str(marker)
    else:
        return "bilingual"
    value = value.strip().lower()
    problem = _problem(value, origin)
    if problem is None:
        return value
    if (origin, value) not in _warned:
        _warned.add((origin, value))
        print(*problem, "(bilingual / 中英双语)", sep="\n")
    return "bilingual"


def say(en, zh, between="\n", chosen=None):
    """``en`` and ``zh`` as the setting wants them: one of them, or both with ``between``.
    ``chosen``: a language already looked up (a report of many lines looks it up once)."""
    chosen = chosen or language()
    if chosen == "en":
        return en
    if chosen == "zh":
        return zh
    return f"{en}{between}{zh}"
