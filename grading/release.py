"""Student versions of the course: nbgrader's release, plus English-only and
Chinese-only copies of it that grade against the same gradebook.

Layout under build/:

- ``release/<assignment>/``    bilingual (nbgrader's own output, the default);
- ``release-en/<assignment>/`` English prose only;
- ``release-zh/<assignment>/`` Chinese prose only.

All three share the code cells, the nbgrader metadata and the notebook file
name, so a submission made from any of them is graded the same way. A single-language
folder also holds ``course_language.txt`` (helpers.language): its check messages, errors,
plot labels and say() printouts then speak that language only, with no line of code changed,
and its "expected output" quotes show those printouts in that language (grading.printouts).
"""

import shutil

from . import NOTEBOOKS_DIR, relative
from .bilingual import single_language
from .cells import read, write
from .nbgrader_api import api, build_dir
from .printouts import UnresolvedQuote, say_calls
from helpers.language import LANGUAGE_FILE

LANGUAGE_DIRS = {"bilingual": "release", "en": "release-en", "zh": "release-zh"}


class ReleaseError(RuntimeError):
    """nbgrader could not build a student version; the message carries its log."""


def assignments():
    """Assignment ids: folders of notebooks/ that hold a notebook, in name order."""
    return sorted(path.name for path in NOTEBOOKS_DIR.iterdir()
                  if path.is_dir() and any(path.glob("*.ipynb")))


def release_dir(lang="bilingual"):
    return build_dir() / LANGUAGE_DIRS[lang]


def release(assignment_ids=None, log=print, single_languages=("en", "zh")):
    """Build the student versions of each assignment (and register it in the gradebook):
    nbgrader's bilingual release, then a copy per language of ``single_languages``.

    Returns: dict assignment -> {language: folder}.
    """
    nbgrader = api()
    built = {}
    for assignment in assignment_ids or assignments():
        result = nbgrader.generate_assignment(assignment, force=True, create=True)
        if not result.get("success"):
            raise ReleaseError(f"nbgrader could not release {assignment}:\n{result.get('error') or result.get('log')}")
        bilingual = release_dir() / assignment
        built[assignment] = {"bilingual": bilingual}
        # the say() calls of the source: the release has lost those inside the solutions
        calls = {path.name: say_calls(read(path)) for path in (NOTEBOOKS_DIR / assignment).glob("*.ipynb")}
        for lang in single_languages:
            target = release_dir(lang) / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(bilingual, target)
            for path in target.glob("*.ipynb"):
                try:
                    write(single_language(read(path), lang, calls[path.name]), path)
                except UnresolvedQuote as error:
                    raise ReleaseError(f"{assignment}, {lang} release: {error}") from None
            (target / LANGUAGE_FILE).write_text(f"{lang}  # the language of the helpers' messages (helpers.language)\n",
                                                encoding="utf-8")
            built[assignment][lang] = target
        log(f"released {assignment}: " + ", ".join(str(relative(p)) for p in built[assignment].values()))
    return built
