"""One operating-system sandbox per submission, built with bubblewrap (``bwrap``).

Inside the sandbox a small runner (:mod:`grading.cohort.sandbox_runner`, copied
in as a plain file) executes the notebook's cells in an IPython shell, then
writes one result record to its standard output. Workers normally keep one such
sandbox running as a fork server (:mod:`grading.cohort.forkserver`); this module
makes the sandbox, and :func:`run` is the one-sandbox-per-submission way, used
where the fork server cannot isolate its tasks. What the sandbox holds:

- the Python environment, read-only (its interpreter, site-packages, the base
  installation it was made from) and ``/usr`` for the system libraries;
- ``/opt/dlcourse``, read-only: the helper modules the assignment's student
  version imports (found by reading its imports, so the reference of a graded
  function is out of reach), the datasets, the harvest, the runner;
- ``/task``, read-only: the prepared notebook and the inputs it must evaluate
  (never an expected value, public or hidden);
- ``/scratch``, a size-capped tmpfs: the working folder, HOME and TMPDIR.

It has no network (a loopback interface only, for the kernel's ZMQ sockets), its
own PID namespace (every process it starts dies with it), no view of the course
repository, the classmates, the output folder, the gradebook or the grader's
environment. When the grader runs as root, the notebook runs as ``nobody``.

Where bubblewrap is missing, :func:`check_available` refuses with a bilingual
message naming the Debian package, unless the instructor opts out explicitly.
"""

import ast
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from helpers.errors import CourseError

ROOT = Path(__file__).resolve().parents[2]
HELPERS = ROOT / "helpers"
DATASETS = ROOT / "datasets"
RUNNER = Path(__file__).with_name("sandbox_runner.py")
NOBODY = 65534
SCRATCH_MB = 512
MAX_PROCESSES = 1024  # per uid, shared by the sandboxes running at once: stops a fork bomb
RESULT_LIMIT = 32 * 1024 * 1024  # bytes of the runner's result record read, at most
# Always inside: what runs in the kernel for the grader, and what it needs.
ALWAYS_HELPERS = ("__init__", "harvest")
SOLUTION_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*", re.S | re.M)
BLAS_THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                "NUMEXPR_NUM_THREADS": "1", "VECLIB_MAXIMUM_THREADS": "1"}

MISSING = (
    "grading needs an operating-system sandbox, and bubblewrap was not found: install the Debian/Ubuntu "
    "package `bubblewrap` (apt-get install bubblewrap), or pass --unsandboxed to grade without one "
    "(every grade is then marked unsandboxed).",
    "评分需要操作系统级沙箱，但没有找到 bubblewrap：请安装 Debian/Ubuntu 软件包 `bubblewrap`"
    "（apt-get install bubblewrap），或者加上 --unsandboxed 在没有沙箱的情况下评分（所有成绩都会标记为未沙箱化）。",
)


def bwrap_path():
    return shutil.which("bwrap")


def check_available():
    """Raise CourseError (bilingual) unless a sandbox can be made on this machine."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise CourseError(*MISSING)
    probe = subprocess.run(_bwrap_prefix(bwrap, scratch_mb=16, staged=None, task=None) + ["/bin/true"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        raise CourseError(
            f"bubblewrap is installed but cannot make a sandbox here ({probe.stderr.strip()[:300]}); "
            "user namespaces may be disabled. Pass --unsandboxed to grade without one.",
            f"已安装 bubblewrap，但在这台机器上无法创建沙箱（{probe.stderr.strip()[:300]}），"
            "可能是系统禁用了用户命名空间。可以加上 --unsandboxed 在没有沙箱的情况下评分。")


# --- what the assignment's student version may import -------------------------------

def _imported_helpers(source, package="helpers"):
    """Names of the helpers modules imported by Python ``source`` (absolute or relative to helpers)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]  # IPython magics
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:  # read the import lines alone
        tree = ast.parse("\n".join(line.strip() for line in lines if line.lstrip().startswith(("import ", "from "))))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == package and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:  # from .x import y, inside helpers
                found.add(module.split(".")[0]) if module else found.update(a.name for a in node.names)
            elif module.split(".")[0] == package:
                parts = module.split(".")
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found.update(alias.name for alias in node.names)
    return found


def helper_closure(student_cells):
    """The helpers modules that the student version of an assignment needs.

    Inputs:  student_cells -- the code sources of the released notebook (solutions removed).
    Returns: sorted list of module names (files helpers/<name>.py), the harvest included.
    """
    wanted = set(ALWAYS_HELPERS)
    for source in student_cells:
        wanted |= _imported_helpers(source)
    todo, done = list(wanted), set()
    while todo:
        name = todo.pop()
        path = HELPERS / f"{name}.py"
        if name in done or not path.is_file():
            continue
        done.add(name)
        todo += sorted(_imported_helpers(path.read_text(encoding="utf-8")) - done)
    return sorted(done)


def student_code(source_cells):
    """Code sources of the student version: solution blocks removed, as the release does."""
    return [SOLUTION_BLOCK.sub(r"\1raise NotImplementedError()", cell.source)
            for cell in source_cells if cell.cell_type == "code"]


def stage(modules, folder):
    """Write the read-only course view of one assignment into ``folder``; return it.

    folder/helpers/<module>.py for ``modules``, folder/datasets (data files only),
    folder/runner.py, folder/mpl (a prebuilt matplotlib font cache).
    """
    folder = Path(folder)
    (folder / "helpers").mkdir(parents=True, exist_ok=True)
    for name in modules:
        shutil.copy2(HELPERS / f"{name}.py", folder / "helpers" / f"{name}.py")
    if DATASETS.is_dir():
        for data in DATASETS.rglob("*"):
            if data.is_file() and not data.is_symlink() and data.suffix in (".h5", ".npz", ".csv", ".mat", ".png", ".jpg"):
                target = folder / "datasets" / data.relative_to(DATASETS)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(data, target)
    shutil.copy2(RUNNER, folder / "runner.py")
    _font_cache(folder / "mpl")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def _font_cache(folder):
    """Build matplotlib's font list once, so no sandboxed kernel spends a second on it."""
    folder.mkdir(exist_ok=True)
    env = dict(os.environ, MPLCONFIGDIR=str(folder), MPLBACKEND="Agg")
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300, check=False)


# --- the bubblewrap command ------------------------------------------------------

def _python_roots():
    """Folders of the Python environment to bind read-only: the venv and its base installation."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.executable).resolve().parent.parent}
    return sorted(str(root) for root in roots if not str(root).startswith("/usr"))


def _masked_course_packages():
    """Installed (non-editable) copies of the course's packages inside the environment: hidden."""
    masks = []
    for roots in (sys.path,):
        for entry in roots:
            for name in ("helpers", "grading"):
                candidate = Path(entry) / name
                if candidate.is_dir() and any(str(candidate).startswith(r) for r in _python_roots()):
                    masks.append(str(candidate))
    return sorted(set(masks))


def _bwrap_prefix(bwrap, scratch_mb, staged, task):
    as_root = os.geteuid() == 0
    command = [bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               "--die-with-parent", "--new-session", "--clearenv",
               "--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        if Path("/" + link).is_symlink():
            command += ["--symlink", os.readlink("/" + link), "/" + link]
        elif Path("/" + link).is_dir():
            command += ["--ro-bind", "/" + link, "/" + link]
    for name in ("/etc/ld.so.cache", "/etc/localtime", "/etc/ssl"):
        if os.path.exists(name):
            command += ["--ro-bind", name, name]
    # The tmpfs mounts come first: a checkout under /tmp (its venv included) is bound on top of them.
    command += ["--perms", "1777", "--size", str(scratch_mb * 1024 * 1024), "--tmpfs", "/scratch",
                "--perms", "1777", "--size", str(16 * 1024 * 1024), "--tmpfs", "/tmp"]
    made = {"/tmp", "/scratch"}
    for root in _python_roots():
        command += _parent_dirs(root, made) + ["--ro-bind", root, root]
    for mask in _masked_course_packages():
        command += ["--tmpfs", mask]
    command += ["--proc", "/proc", "--dev", "/dev"]
    if staged is not None:
        command += _parent_dirs("/opt/dlcourse", made) + ["--ro-bind", str(staged), "/opt/dlcourse"]
    if task is not None:
        command += ["--ro-bind", str(task), "/task"]
    command += ["--chdir", "/scratch"]
    if not as_root:
        command += ["--unshare-user"]
    for key, value in _sandbox_env().items():
        command += ["--setenv", key, value]
    command += ["--"]
    return _with_privilege_drop(command, as_root)


def _parent_dirs(path, made):
    """--dir options making the folders above ``path`` traversable by nobody (bwrap makes them 0700)."""
    out = []
    for parent in reversed(Path(path).parents):
        if str(parent) != "/" and str(parent) not in made:
            made.add(str(parent))
            out += ["--perms", "0755", "--dir", str(parent)]
    return out


def _with_privilege_drop(command, as_root):
    if not as_root:
        return command
    # As root, bwrap keeps no capabilities unless asked; setpriv needs two of them to become
    # nobody, then drops every capability for good.
    split = command.index("--")
    head, tail = command[:split], command[split:]
    head += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    return head + tail + [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                          "--inh-caps=-all", "--bounding-set=-all", "--"]


def _sandbox_env():
    bindir = str(Path(sys.executable).parent)
    env = {"PATH": f"{bindir}:/usr/bin:/bin", "HOME": "/scratch", "TMPDIR": "/scratch/tmp", "LANG": "C.UTF-8",
           "PYTHONPATH": "/opt/dlcourse", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": "/scratch/.mpl", "IPYTHONDIR": "/scratch/.ipython", "JUPYTER_CONFIG_DIR": "/scratch/.jupyter",
           "JUPYTER_DATA_DIR": "/scratch/.jupyter/data", "JUPYTER_RUNTIME_DIR": "/scratch/.jupyter/runtime",
           "JUPYTER_PLATFORM_DIRS": "1", "DLCOURSE_DATA_DIR": "/opt/dlcourse/datasets",
           # As under nbgrader, so notebooks shorten long training cells (helpers.runtime.under_nbgrader).
           "NBGRADER_EXECUTION": "autograde", **BLAS_THREADS}
    if sys.prefix != sys.base_prefix:
        env["VIRTUAL_ENV"] = sys.prefix
    return env


def _limits(memory_mb):
    def apply():
        if memory_mb > 0:
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


class SandboxRun:
    """What came back from one sandboxed run: ``record`` (the runner's parsed result or None),
    ``problem`` ((en, zh) or None), ``timed_out`` (the whole-run limit struck), ``seconds``."""

    def __init__(self, record, problem, seconds, timed_out=False):
        self.record, self.problem, self.seconds, self.timed_out = record, problem, seconds, timed_out


def run(staged, task_dir, options, memory_mb, wall_seconds, unsandboxed=False):
    """Run the runner on ``task_dir`` in a fresh sandbox; return a SandboxRun.

    Inputs:
        staged -- folder made by :func:`stage`; task_dir -- notebook.ipynb, harvest_inputs.h5, options.json;
        options -- dict for the runner (cell and notebook time limits, output caps);
        memory_mb -- address-space limit of every process; wall_seconds -- the whole run, after which
        the sandbox and everything in it is killed.
    """
    import time

    started = time.perf_counter()
    (Path(task_dir) / "options.json").write_text(json.dumps(options), encoding="utf-8")
    for path in [Path(task_dir), *Path(task_dir).iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    scratch = None
    if unsandboxed:
        scratch = tempfile.mkdtemp(prefix="dlcourse-unsandboxed-")
        command = [sys.executable, str(Path(staged) / "runner.py"), "--task", str(task_dir), "--scratch", scratch]
        env = {**os.environ, **_sandbox_env(), "PYTHONPATH": str(staged), "DLCOURSE_DATA_DIR": str(Path(staged) / "datasets")}
        for key in ("DLCOURSE_DB_URL", "DLCOURSE_SECRET", "DLCOURSE_HIDDEN_DIR", "DLCOURSE_BUILD_DIR"):
            env.pop(key, None)
        env["HOME"] = env["TMPDIR"] = command[-1]
        for key in ("MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            env[key] = str(Path(command[-1]) / key.lower())
    else:
        command = _bwrap_prefix(bwrap_path(), SCRATCH_MB, staged, task_dir) + [
            sys.executable, "/opt/dlcourse/runner.py", "--task", "/task", "--scratch", "/scratch"]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, preexec_fn=_limits(memory_mb), start_new_session=True)
    chunks, errors, sizes = [], [], {"out": 0}

    def read_out():
        while True:
            block = process.stdout.read(65536)
            if not block:
                return
            sizes["out"] += len(block)
            if sizes["out"] <= RESULT_LIMIT:
                chunks.append(block)

    def read_err():
        errors.append(process.stderr.read(65536))
        while process.stderr.read(65536):  # drain, keep only the beginning
            pass

    readers = [threading.Thread(target=read_out, daemon=True), threading.Thread(target=read_err, daemon=True)]
    for reader in readers:
        reader.start()
    problem, timed_out = None, False
    try:
        process.wait(timeout=wall_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill(process)
        problem = overtime(wall_seconds)
    finally:
        _kill(process)  # whatever is left in the sandbox's PID namespace dies with its first process
        for reader in readers:
            reader.join(timeout=10)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    record = None
    if problem is None:
        if sizes["out"] > RESULT_LIMIT:
            problem = ("the notebook's results were larger than the grader accepts; nothing was kept.",
                       "notebook 产生的结果超过了评分程序能接受的大小，全部未保留。")
        else:
            record, problem = _parse(b"".join(chunks), b"".join(errors))
    return SandboxRun(record, problem, time.perf_counter() - started, timed_out)


def _kill(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


MAGIC = b"DLCOURSE-RESULT-1\n"


def overtime(wall_seconds):
    return (f"the notebook ran longer than {wall_seconds:g} s in all and was stopped; nothing it computed was kept.",
            f"整个 notebook 的运行时间超过了 {wall_seconds:g} 秒，已被终止；它的计算结果都没有保留。")


def no_result(detail):
    return (f"the grading sandbox returned no result ({detail[:300]}).", f"评分沙箱没有返回结果（{detail[:300]}）。")


def check_record(record):
    """None when ``record`` has the runner's structure, else the (en, zh) problem."""
    if not isinstance(record, dict) or not isinstance(record.get("notebook"), dict) \
            or not isinstance(record.get("harvest", {}), dict) or not isinstance(record.get("notes", []), list):
        return ("the grading sandbox returned an unreadable result (unexpected structure).",
                "评分沙箱返回的结果无法读取（结构不对）。")
    return None


def _parse(out, err):
    """The runner's record: the bytes after the last MAGIC line, as JSON with the expected keys."""
    position = out.rfind(MAGIC)
    if position < 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return None, no_result(detail[0])
    try:
        record = json.loads(out[position + len(MAGIC):].decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return None, (f"the grading sandbox returned an unreadable result ({exc}).",
                      f"评分沙箱返回的结果无法读取（{exc}）。")
    problem = check_record(record)
    return (None, problem) if problem else (record, None)
