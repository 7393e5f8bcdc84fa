"""Which lesson cells a grade does not need, so that the sandbox need not run them.

A grade is decided from the harvest: the graded functions called on stored
inputs at the end of the notebook. What the harvest needs is every answer cell,
every cell tagged ``imports``, and every cell that defines a name those cells
use, transitively: a training cell that only prints a cost and draws a curve
defines nothing the harvest calls and is left out. Names are read with
:mod:`symtable`, in two kinds:

- *immediate* uses, at a cell's top level, need a definition in an earlier cell;
- *deferred* uses, inside a function body, are looked up when the function is
  called, which may be in the harvest itself: any cell defining such a name is kept.

A cell counts as defining the names it binds at top level or declares global
in a function, and the names whose contents it changes at top level
(``x[i] = ...``, ``x.a = ...``, ``x.append(...)`` on a name that is not a module).
Anything this reading cannot follow keeps its cell: a syntax error, a magic
other than ``%matplotlib``, ``globals()``, ``exec``, a star import. And when any
cell uses ``globals()``, ``exec`` or the like, nothing is pruned.
"""

import ast
import functools
import symtable

from .repair import is_harvest_cell

DYNAMIC = {"globals", "locals", "vars", "exec", "eval", "__import__", "get_ipython", "__builtins__"}
HARMLESS_MAGICS = ("matplotlib", "load_ext", "autoreload")


class _Cell:
    """defines, immediate and deferred uses of one code cell; opaque when they cannot be read."""

    def __init__(self, source, modules=frozenset()):
        self.defines, self.immediate, self.deferred, self.opaque = set(), set(), set(), False
        try:
            code = _python(source)
            table = symtable.symtable(code, "<cell>", "exec")
            tree = ast.parse(code)
        except (SyntaxError, ValueError, TypeError):
            self.opaque = True
            return
        for symbol in table.get_symbols():
            name = symbol.get_name()
            if symbol.is_assigned() or symbol.is_imported():
                self.defines.add(name)
            if symbol.is_referenced():
                self.immediate.add(name)
        for child in table.get_children():
            self._scope(child)
        self._mutations(tree, modules)
        if "*" in self.defines or any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
                                      for node in ast.walk(tree)):
            self.opaque = True

    def _scope(self, table):
        for symbol in table.get_symbols():
            if symbol.is_global() and symbol.is_referenced():
                self.deferred.add(symbol.get_name())
            if symbol.is_declared_global() and symbol.is_assigned():
                self.defines.add(symbol.get_name())
        for child in table.get_children():
            self._scope(child)

    def _mutations(self, tree, modules):
        modules = modules | _module_names(tree)
        for statement in tree.body:
            for node in _walk_outside_functions(statement):
                if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, (ast.Store, ast.Del)):
                    base = _base_name(node)
                    if base:
                        self.defines.add(base)
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    base = _base_name(node.func.value)
                    if base and base not in modules:
                        self.defines.add(base)

    def uses(self):
        return self.immediate | self.deferred

    @property
    def dynamic(self):
        return bool(self.uses() & DYNAMIC)


def _module_names(tree):
    """Names bound by ``import x`` / ``import x.y as z``: calling their functions changes no variable."""
    return {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
            if isinstance(node, ast.Import) for alias in node.names}


@functools.lru_cache(maxsize=4096)
def _python(source):
    """The cell as plain Python; ValueError for magics that could do anything."""
    if not any(line.lstrip().startswith(("%", "!")) or line.rstrip().endswith("?") for line in source.splitlines()):
        return source
    from IPython.core.inputtransformer2 import TransformerManager

    code = TransformerManager().transform_cell(source)
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Call) and getattr(node.func.value.func, "id", None) == "get_ipython":
            magic = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
            if node.func.attr != "run_line_magic" or magic not in HARMLESS_MAGICS:
                raise ValueError("a magic")
    # The harmless magics' calls are left out, so that get_ipython does not make the cell dynamic.
    lines = [line for line in code.splitlines() if not line.lstrip().startswith("get_ipython().run_line_magic(")]
    return "\n".join(lines) + "\n"


SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _walk_outside_functions(node):
    """``node`` and what it holds, except function and class bodies (run later, if ever)."""
    if isinstance(node, SCOPES):
        yield from (decorator for decorator in getattr(node, "decorator_list", []))
        return
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _walk_outside_functions(child)


def _base_name(node):
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _always_run(cell):
    meta = cell.get("metadata", {})
    return (is_harvest_cell(cell) or "imports" in meta.get("tags", [])
            or meta.get("nbgrader", {}).get("solution", False))


def unneeded_cells(nb, lesson_sources):
    """Indices of the lesson cells of the prepared notebook ``nb`` (nbformat dict) that the harvest
    does not need. Only a cell whose source is one of ``lesson_sources`` (the given code cells of
    the course's notebook, stripped) may be left out: a cell the student added or edited always
    runs, as under nbgrader. Test cells are not counted (the sandbox never runs them)."""
    cells = nb["cells"]
    code = [index for index, cell in enumerate(cells) if cell["cell_type"] == "code"
            and not cell.get("metadata", {}).get("nbgrader", {}).get("grade", False)]
    sources = {index: cells[index]["source"] if isinstance(cells[index]["source"], str)
               else "".join(cells[index]["source"]) for index in code}
    modules = frozenset().union(*map(_modules_of, sources.values()))
    harvest = {index for index in code if is_harvest_cell(cells[index])}
    read = {index: _harvest_cell(source) if index in harvest else _read_cell(source, modules)
            for index, source in sources.items()}

    if any(read[index].dynamic for index in set(code) - harvest):
        return []  # a cell may reach any name (a harvest cell's globals() serves only its function)
    keep = {index for index in code if _always_run(cells[index]) or read[index].opaque}
    while True:
        deferred = set().union(*(read[index].deferred for index in keep))
        needed, grown = set(), set(keep)
        for index in reversed(code):
            cell = read[index]
            if index in grown or cell.defines & (needed | deferred):
                grown.add(index)
                needed |= cell.immediate
                deferred |= cell.deferred
        if grown == keep:
            break
        keep = grown
    return [index for index in code if index not in keep and sources[index].strip() in lesson_sources]


@functools.lru_cache(maxsize=4096)
def _modules_of(source):
    try:
        return frozenset(_module_names(ast.parse(_python(source))))
    except (SyntaxError, ValueError, TypeError):
        return frozenset()


@functools.lru_cache(maxsize=4096)
def _read_cell(source, modules):
    """The same given cells recur in every submission: each is read once per worker."""
    return _Cell(source, modules)


def _harvest_cell(source):
    """A harvest cell reads ``globals()`` only for the graded function it names."""
    cell = _Cell("pass")
    try:
        tree = ast.parse(source)
    except SyntaxError:
        cell.opaque = True
        return cell
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            cell.immediate.add(node.value)
        elif isinstance(node, ast.Name):
            cell.immediate.add(node.id)
        elif isinstance(node, ast.alias):
            cell.defines.add(node.asname or node.name)
    cell.immediate -= {"globals"}
    return cell
