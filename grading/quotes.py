"""Keeping the "expected output" quotes of the notebooks equal to what their code prints.

A quote is the printout of the code cell above it, run with the reference
solutions. The last digits of some printouts depend on the CPU: numpy picks
AVX2 or AVX-512 versions of exp, tanh and log where the processor has them,
OpenBLAS picks its matrix kernels by processor, and a long training amplifies a
difference in the 16th digit into the 3rd. Quotes are therefore made and checked
with those choices pinned (:func:`reproducible_env`), so that every x86-64
machine with AVX2 and FMA prints the same digits. A learner's machine may print other
last digits; the graded checks compare with a tolerance and do not care.

    python -m grading quotes [assignment ...]   rewrite the stale quotes
"""

import os
import re

import nbformat

from . import NOTEBOOKS_DIR
from . import cells as C

QUOTE = re.compile(r"```text\n(.*?)\n```", re.S)


def reproducible_env(base=None):
    """The environment for a kernel whose printouts do not depend on the CPU model.

    numpy's runtime-dispatched SIMD paths are turned off (its compiled-in baseline,
    x86-64-v2 on x86, is the same on every machine), OpenBLAS uses its Haswell
    kernels where the CPU has AVX2 and FMA, and BLAS runs on one thread.

    Inputs:  base -- dict to start from (default: os.environ).
    Returns: dict.
    """
    env = dict(os.environ if base is None else base)
    dispatched = _dispatched_cpu_features()
    if dispatched:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(dispatched)
    if _cpu_flags() >= {"avx2", "fma"}:
        env["OPENBLAS_CORETYPE"] = "Haswell"
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["OMP_NUM_THREADS"] = "1"
    return env


def _dispatched_cpu_features():
    """numpy's dispatch targets this CPU supports (numpy refuses to disable the others)."""
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:  # another numpy layout: leave its choices alone
        return []
    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]


def _cpu_flags():
    try:
        text = open("/proc/cpuinfo", encoding="utf-8").read()
    except OSError:
        return set()
    line = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return set(line.partition(":")[2].split())


def run(path, timeout=300, env=None, cwd=None):
    """Execute the notebook at ``path`` in its folder (or in ``cwd``: a release's folder, say, whose
    course_language.txt sets the language), in :func:`reproducible_env` (of ``env``, default
    os.environ); return it with outputs."""
    return execute(nbformat.read(str(path), as_version=4), cwd or path.parent, timeout, env)


def execute(nb, folder, timeout=300, env=None):
    """Execute the notebook object ``nb`` in place, in ``folder``, in :func:`reproducible_env`
    (of ``env``, default os.environ); return it with outputs."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    # encrypted kernel channels where possible, as in nbgrader_config.py: no "over TCP without encryption" warning
    config = Config({"KernelManager": {"transport_encryption": "auto"}})
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", config=config,
                            resources={"metadata": {"path": str(folder)}})
    client.execute(env=reproducible_env(env))
    return nb


def normal(text):
    """``text`` as quotes are compared: without blank lines around it and trailing blanks on its lines (str)."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def quotes(nb):
    """[(cell index, quoted text, printout of the code cell above)] for each expected-output cell of an executed notebook."""
    out, last_stdout = [], ""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            last_stdout = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
        elif C.is_expected_output(cell):
            out.append((index, QUOTE.search(cell.source).group(1), last_stdout))
    return out


def stale(nb):
    """Pair ids of the quotes of an executed notebook that differ from its printouts."""
    return [nb.cells[index].metadata[C.META_KEY]["pair"]
            for index, quoted, printed in quotes(nb) if normal(quoted) != normal(printed)]


def refresh(path):
    """Rewrite the stale quotes of the notebook at ``path`` (both languages); return their pair ids."""
    executed = run(path)
    stored = C.read(path)
    fixed = []
    for index, quoted, printed in quotes(executed):
        if normal(quoted) == normal(printed):
            continue
        cell = stored.cells[index]
        block = "```text\n" + printed.strip("\n") + "\n```"
        cell.source = QUOTE.sub(lambda _, block=block: block, cell.source, count=1)
        meta = cell.metadata[C.META_KEY]
        if meta["lang"] == "en":
            fixed.append(meta["pair"])
            english = cell.source
        elif meta.get("translates") is not None and fixed and fixed[-1] == meta["pair"]:
            meta["translates"] = C.english_hash(english)
    if fixed:
        C.write(stored, path)
    return fixed


def notebook_path(assignment):
    return next((NOTEBOOKS_DIR / assignment).glob("*.ipynb"))
