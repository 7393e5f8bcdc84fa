"""One convention per thing across the lessons (the notebooks give the course's reasons)."""

import ast

import pytest

from grading.cells import read
from grading.expected import assignments, source_notebook


def _given_functions(assignment, name):
    found = []
    for cell in read(source_notebook(assignment)).cells:
        if cell.cell_type == "code" and f"def {name}(" in cell.source:
            tree = ast.parse(cell.source)
            found += [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == name]
    return found


@pytest.mark.parametrize("assignment", [a for a in assignments() if _given_functions(a, "model")])
def test_every_given_model_returns_parameters_and_costs(assignment):
    for model in _given_functions(assignment, "model"):
        returns = [node for node in ast.walk(model) if isinstance(node, ast.Return)]
        assert returns, assignment
        for node in returns:
            # (parameters, costs); a lesson that needs more (batch norm's running averages) puts it between
            names = [ast.unparse(e) for e in node.value.elts] if isinstance(node.value, ast.Tuple) else []
            assert names[:1] == ["parameters"] and "costs" in names, f"{assignment}: return {ast.unparse(node.value)}"
        assert "costs --" in ast.get_docstring(model)


def _seeds(function_node):
    return any(isinstance(node, ast.Call) and ast.unparse(node.func) == "np.random.seed"
               for node in ast.walk(function_node))


def _draws(function_node):
    """Whether the function draws from numpy's global RNG itself (other than seeding it)."""
    return any(isinstance(node, ast.Call) and ast.unparse(node.func).startswith("np.random.")
               and ast.unparse(node.func) != "np.random.seed" for node in ast.walk(function_node))


def _functions_of_the_course():
    """{name: FunctionDef} of the helpers package and of every source notebook."""
    from pathlib import Path

    import helpers

    found = {}
    for path in Path(helpers.__file__).parent.glob("*.py"):
        found.update({node.name: node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                      if isinstance(node, ast.FunctionDef)})
    for assignment in assignments():
        for cell in read(source_notebook(assignment)).cells:
            if cell.cell_type == "code":
                try:
                    tree = ast.parse(cell.source)
                except SyntaxError:  # a cell with an IPython magic
                    continue
                found.update({node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)})
    return found


def test_no_function_sets_a_seed_that_the_function_it_calls_sets_again():
    """The caller seeds, or the function it calls does; never both (a seed overridden at once does nothing)."""
    functions = _functions_of_the_course()
    seeding = {name for name, node in functions.items() if _seeds(node)}
    overridden = []
    for name, node in functions.items():
        if not _seeds(node) or _draws(node):
            continue
        called = {ast.unparse(call.func) for call in ast.walk(node) if isinstance(call, ast.Call)}
        overridden += [f"{name} seeds, then calls {callee}, which seeds again" for callee in called & seeding - {name}]
    assert not overridden, overridden
