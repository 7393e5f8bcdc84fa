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


def _graded_cases_with_a_callers_seed():
    from grading import HIDDEN_DIR
    from grading.expected import graded_functions
    from helpers.case_store import read_cases

    found = []
    for assignment in assignments():
        for function in graded_functions(source_notebook(assignment)):
            seeds = [case["seed"] for case in read_cases(HIDDEN_DIR / f"{assignment}.h5", function)]
            if any(seed is not None for seed in seeds):
                found.append((assignment, function, seeds))
    return found


def test_a_function_whose_caller_seeds_it_sets_no_seed_itself():
    """Where the stored cases carry the caller's seed (planar's initialize_parameters and nn_model,
    as in the newest classic version), the function only draws: a seed of its own would override it.
    And every case of such a function carries a seed, or the check would depend on what ran before."""
    seeded = _graded_cases_with_a_callers_seed()
    assert {function for _, function, _ in seeded} >= {"initialize_parameters", "nn_model"}
    for assignment, function, seeds in seeded:
        assert None not in seeds, f"{assignment}.{function}: a case without the caller's seed"
        for node in _given_functions(assignment, function):
            assert not _seeds(node), f"{assignment}.{function} seeds itself, but its caller seeds it"
