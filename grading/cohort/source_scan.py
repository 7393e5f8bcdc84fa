"""Reading the submitted source for what the outputs cannot show.

Two kinds of findings:

- **disqualifying**, in the answer cell of a graded function: it calls the
  course's own implementation of a graded function (from ``helpers`` or
  ``grading``), or it reads files (the course's stored cases among them). That
  function scores 0, whatever it returns.
- **tampering**, in any cell the student could edit: rebinding numpy's or the
  checker's functions, touching ``sys.modules`` or builtins, changing
  environment variables, or mentioning the gradebook. It cannot change a
  verdict (verdicts are decided outside the kernel) but is reported.
"""

import ast
from dataclasses import dataclass

COURSE_PACKAGES = ("helpers", "grading")
FILE_READERS = {"open", "File", "load", "loads", "loadtxt", "genfromtxt", "fromfile", "loadmat", "read_text",
                "read_bytes", "listdir", "scandir", "walk", "glob", "rglob", "iterdir", "read_csv", "imread"}
GUARDED_MODULE_ALIASES = {"np", "numpy", "helpers", "checker", "h5py", "os", "sys", "builtins", "copy"}
TAMPER_WORDS = ("gradebook", "nbgrader", "DLCOURSE_", "sqlite", "sqlalchemy", "harvest")


@dataclass
class Finding:
    """One finding: ``kind`` is "reference", "reads_files" or "tampering"; ``function`` the
    graded function whose answer cell it is in (None elsewhere)."""

    kind: str
    function: object
    en: str
    zh: str

    @property
    def disqualifying(self):
        return self.kind in ("reference", "reads_files") and self.function is not None


def _course_imports(trees):
    """Names bound to course modules or course functions anywhere in the notebook.

    Returns: (module aliases {alias}, imported functions {local name: original name}).
    """
    modules, functions = set(), {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in COURSE_PACKAGES:
                        modules.add((alias.asname or alias.name).split(".")[0] if not alias.asname else alias.asname)
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in COURSE_PACKAGES:
                for alias in node.names:
                    local = alias.asname or alias.name
                    if node.module.split(".")[0] == "helpers" and node.module.count(".") == 0:
                        modules.add(local)  # from helpers import deep_nn
                    else:
                        functions[local] = alias.name
    return modules, functions


def _attribute_root(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def scan(cells, graded, student_cells):
    """Findings in a notebook.

    Inputs:  cells -- all code cells [(grade_id or None, source)]; graded -- names of the graded
             functions; student_cells -- indexes (into ``cells``) of cells the student may have edited.
    Returns: list of Finding.
    """
    trees = {}
    for index, (_, source) in enumerate(cells):
        try:
            trees[index] = ast.parse(source)
        except SyntaxError:
            continue  # it fails when run; nothing to read here
    modules, functions = _course_imports(trees.values())
    findings = []
    for index in student_cells:
        if index not in trees:
            continue
        owner = cells[index][0] if cells[index][0] in graded else None
        findings += _scan_tree(trees[index], owner, graded, modules, functions)
    unique = {}
    for finding in findings:
        unique.setdefault((finding.kind, finding.function, finding.en), finding)
    return list(unique.values())


def _scan_tree(tree, owner, graded, modules, functions):
    found = []
    for node in ast.walk(tree):
        if owner is not None:
            name = None
            if isinstance(node, ast.Name) and functions.get(node.id) in graded:
                name = functions[node.id]
            elif isinstance(node, ast.Attribute) and node.attr in graded and _attribute_root(node) in modules:
                name = node.attr
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if module and module.split(".")[0] in COURSE_PACKAGES and any(a.name in graded for a in node.names):
                    name = next(a.name for a in node.names if a.name in graded)
            if name:
                found.append(Finding("reference", owner,
                                     f"{owner} uses the course's own implementation of {name}.",
                                     f"{owner} 调用了课程自带的 {name} 实现。"))
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if called in FILE_READERS:
                    found.append(Finding("reads_files", owner, f"{owner} reads files ({called}).",
                                         f"{owner} 读取了文件（{called}）。"))
            if isinstance(node, ast.Name) and node.id == "__file__":
                found.append(Finding("reads_files", owner, f"{owner} looks up file locations (__file__).",
                                     f"{owner} 查找了文件位置（__file__）。"))
        found += _tampering(node, owner)
    return found


def _tampering(node, owner):
    out = []

    def flag(what_en, what_zh):
        out.append(Finding("tampering", owner, what_en, what_zh))

    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    for target in targets:
        if isinstance(target, ast.Attribute) and _attribute_root(target) in GUARDED_MODULE_ALIASES:
            flag(f"assigns to {ast.unparse(target)}", f"给 {ast.unparse(target)} 重新赋值")
        if isinstance(target, ast.Name) and target.id in ("check_function",):
            flag("redefines check_function", "重新定义了 check_function")
        if isinstance(target, ast.Subscript) and "environ" in ast.unparse(target.value):
            flag(f"sets {ast.unparse(target)}", f"设置了 {ast.unparse(target)}")
    if isinstance(node, ast.FunctionDef) and node.name == "check_function":
        flag("redefines check_function", "重新定义了 check_function")
    if isinstance(node, ast.Call):
        text = ast.unparse(node.func)
        if text in ("setattr", "os.putenv", "os.environ.update", "os.environ.setdefault", "importlib.reload"):
            flag(f"calls {text}", f"调用了 {text}")
    if isinstance(node, ast.Attribute) and node.attr == "modules" and _attribute_root(node) == "sys":
        flag("touches sys.modules", "修改了 sys.modules")
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        lowered = node.value.lower()
        for word in TAMPER_WORDS:
            if word.lower() in lowered:
                flag(f"mentions {word!r}", f"提到了 {word!r}")
                break
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
        for name in names:
            if name.split(".")[0] in ("nbgrader", "sqlite3", "sqlalchemy", "grading", "builtins"):
                flag(f"imports {name}", f"导入了 {name}")
    return out
