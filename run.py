#!/usr/bin/env python3
"""Set up the course and run one of its jobs, on a machine with only Python 3.

    python3 run.py demo    release the course and auto-grade the demo submissions (the main job)
    python3 run.py test    run the test suite
    python3 run.py lab     open the student notebooks in JupyterLab

Each command first makes a virtual environment in .venv/ (once) and installs
the project with everything it needs from pyproject.toml; it reinstalls only
when pyproject.toml changes. Extra arguments go to the job (for example
``python3 run.py test -k checker``).
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DLCOURSE_VENV", ROOT / ".venv"))
STAMP = VENV / ".dlcourse-installed"
JOBS = ("demo", "test", "lab")


def venv_python():
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def setup():
    """Create .venv and install the project when pyproject.toml has changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text().strip() == wanted and venv_python().exists():
        return
    if not venv_python().exists():
        print(f"creating the virtual environment {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing the course and its dependencies (a few minutes the first time) ...", flush=True)
    subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted + "\n")


def job_command(job, extra):
    python = str(venv_python())
    if job == "demo":
        return [python, "-m", "grading", "demo", *extra]
    if job == "test":
        return [python, "-m", "pytest", *extra]
    release = ROOT / "build" / "release"
    if not release.is_dir():
        subprocess.run([python, "-m", "grading", "release"], check=True, cwd=ROOT, env=job_env())
    return [python, "-m", "jupyter", "lab", f"--notebook-dir={release}", *extra]


def job_env(job="demo"):
    env = dict(os.environ)
    # nbgrader calls tools (alembic) found on PATH: put the environment's scripts first.
    env["PATH"] = str(venv_python().parent) + os.pathsep + env.get("PATH", "")
    # The instructor notebooks' hidden checks find their cases only through this variable.
    env.setdefault("DLCOURSE_HIDDEN_DIR", str(ROOT / "grading" / "hidden"))
    if job != "lab":  # plots show inline in JupyterLab; elsewhere there is no screen
        env.setdefault("MPLBACKEND", "Agg")
    return env


def main(argv):
    if not argv or argv[0] not in JOBS:
        print(__doc__)
        print(f"error: say which job to run: {', '.join(JOBS)}\n错误：请指定要运行的任务：{', '.join(JOBS)}")
        return 2
    try:
        setup()
    except subprocess.CalledProcessError as exc:
        print(f"error: installing the course failed ({exc}); see pip's message above.\n"
              f"错误：课程安装失败（{exc}），请查看上面 pip 的输出。")
        return 1
    return subprocess.run(job_command(argv[0], argv[1:]), cwd=ROOT, env=job_env(argv[0])).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
