#!/usr/bin/env python3
"""Set up the course and run one of its jobs, on a machine with only Python 3.

    python3 run.py demo    release the course and auto-grade the demo submissions (the main job)
    python3 run.py test    run the test suite (``python3 run.py test -m "not slow"``: the fast loop)
    python3 run.py lint    check the code with ruff (CI runs it before the tests)
    python3 run.py lab     open the student notebooks in JupyterLab, as a learner sees them
    python3 run.py book    build the course as a website to read offline: build/book/index.html

(On Windows: ``py run.py demo``.) Each command first makes a virtual environment in
.venv/ (once) and installs the project with its [grading] and [test] extras from
pyproject.toml; it reinstalls only when pyproject.toml changes. Extra arguments go to
the job (for example ``python3 run.py test -k checker``).
"""

import hashlib
import json
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DLCOURSE_VENV", ROOT / ".venv"))
STAMP = VENV / ".dlcourse-installed"
JOBS = ("demo", "test", "lint", "lab", "book")
# nbgrader's instructor tools, hidden from a learner's lab (the Validate button stays).
# Names from nbgrader 0.9's installation guide.
INSTRUCTOR_LABEXTENSIONS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                            "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list")
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list",
                                "nbgrader.server_extensions.assignment_list")


def venv_python():
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def build_dir():
    """The folder everything generated goes to: $DLCOURSE_BUILD_DIR, else build/ (as nbgrader_config.py)."""
    return Path(os.environ.get("DLCOURSE_BUILD_DIR") or ROOT / "build").resolve()


def setup():
    """Create .venv and install the project when pyproject.toml has changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text().strip() == wanted and venv_python().exists():
        return
    if not venv_python().exists():
        print(f"creating the virtual environment {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing the course and its dependencies (a few minutes the first time) ...\n"
          "正在安装课程及其依赖（首次需要几分钟）……", flush=True)
    pip_install([str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check",
                 "-e", f"{ROOT}[grading,test]"])
    STAMP.write_text(wanted + "\n")


def pip_install(command):
    """Run pip, printing one line per package it collects and per install step, with the time.

    pip's full output is kept and shown only when it fails (CalledProcessError).
    """
    started = time.monotonic()
    lines, collected = [], 0
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          encoding="utf-8", errors="replace") as pip:
        for line in pip.stdout:
            lines.append(line)
            step = line.strip()
            if step.startswith("Collecting "):
                collected += 1
                step = f"[{collected}] {step}"
            elif not step.startswith(("Building ", "Installing collected", "Successfully ")):
                continue
            print(f"  {time.monotonic() - started:5.0f} s  {step[:90]}", flush=True)
    if pip.returncode:
        sys.stdout.write("".join(lines[-40:]))
        raise subprocess.CalledProcessError(pip.returncode, command)


def job_command(job, extra):
    python = str(venv_python())
    if job == "demo":
        return [python, "-m", "grading", "demo", *extra]
    if job == "test":
        return [python, "-m", "pytest", *extra]
    if job == "lint":
        return [python, "-m", "ruff", "check", *(extra or ["."])]
    if job == "book":
        return [python, "-m", "grading", "book", *extra]
    release = build_dir() / "release"
    if not release.is_dir():
        subprocess.run([python, "-m", "grading", "release"], check=True, cwd=ROOT, env=job_env())
    command = [python, "-m", "jupyter", "lab", f"--notebook-dir={release}"]
    if running_as_root():
        print("note: running as root (as in many containers), so JupyterLab is started with --allow-root.\n"
              "提示：当前以 root 身份运行（很多容器都是这样），因此启动 JupyterLab 时加上了 --allow-root。", flush=True)
        command.append("--allow-root")
    return command + list(extra)


def running_as_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def learner_lab_config():
    """A Jupyter config folder in which nbgrader's instructor extensions are off; returns it.

    run.py lab points JUPYTER_CONFIG_DIR at it for that one process, so the
    instructor's own Jupyter setup is left as it is. A learner keeps the Validate
    button. The folder also holds the lab's user settings (theme, ...).
    """
    folder = build_dir() / "lab-config"
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    page = {"disabledExtensions": {name: True for name in INSTRUCTOR_LABEXTENSIONS}}
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=2) + "\n", encoding="utf-8")
    server = {"ServerApp": {"jpserver_extensions": {name: False for name in INSTRUCTOR_SERVER_EXTENSIONS}}}
    (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=2) + "\n", encoding="utf-8")
    return folder


def job_env(job="demo"):
    env = dict(os.environ)
    # nbgrader calls tools (alembic) found on PATH: put the environment's scripts first.
    env["PATH"] = str(venv_python().parent) + os.pathsep + env.get("PATH", "")
    # The instructor notebooks' hidden checks find their cases only through this variable.
    env.setdefault("DLCOURSE_HIDDEN_DIR", str(ROOT / "grading" / "hidden"))
    if job != "lab":  # plots show inline in JupyterLab; elsewhere there is no screen
        env.setdefault("MPLBACKEND", "Agg")
    else:
        env["JUPYTER_CONFIG_DIR"] = str(learner_lab_config())
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
