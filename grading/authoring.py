"""Writing a notebook from Python: a list of cells (from grading.cells) in which
``Expect(pair)`` placeholders become "expected output" prose pairs quoting what
the code cells above print when run with the reference solutions.

Usage in an author's script::

    from grading import cells as C
    from grading.authoring import Expect, assemble

    items = [C.prose(...), C.code("import numpy as np", tags=["imports"]), ...,
             C.solution("f", "..."), C.code("print(f(2))"), Expect("f-expected"), C.check_cell("f")]
    C.write(assemble(items, workdir=NOTEBOOKS_DIR / "my_assignment"), path)

The code runs in one namespace, in the assignment's folder, with stdout
captured per cell; test cells (nbgrader ``grade``) are not run, since the stored
checks are generated afterwards from the notebook itself.
"""

import contextlib
import io
import os

from . import cells as C


class Expect:
    """Placeholder for the quote of the previous code cell's printout."""

    def __init__(self, pair, en_intro="Expected output:", zh_intro="预期输出："):
        self.pair, self.en_intro, self.zh_intro = pair, en_intro, zh_intro


def assemble(items, workdir):
    """Turn ``items`` (cells, lists of cells, Expect) into a notebook.

    Inputs:  items -- sequence; workdir -- folder the code runs in.
    Returns: a notebook (nbformat v4).
    """
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        namespace = {"__name__": "__main__"}
        cells, last_stdout = [], ""
        for item in items:
            if isinstance(item, Expect):
                cells += C.expected_output(item.pair, last_stdout, item.en_intro, item.zh_intro)
                continue
            for cell in item if isinstance(item, list) else [item]:
                cells.append(cell)
                if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
                    source = "\n".join(line for line in cell.source.splitlines()
                                       if not line.lstrip().startswith(("%", "!")))  # IPython magics
                    buffer = io.StringIO()
                    with contextlib.redirect_stdout(buffer):
                        exec(compile(source, "<cell>", "exec"), namespace)
                    last_stdout = buffer.getvalue()
        return C.notebook(cells)
    finally:
        os.chdir(previous)
