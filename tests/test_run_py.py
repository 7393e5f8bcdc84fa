"""run.py: the commands it builds and the learner's lab configuration (no browser opened)."""

import json
import re
import subprocess
import sys

import pytest

import run


@pytest.fixture
def build(tmp_path, monkeypatch):
    """A build folder that already holds a release, so run.py lab builds nothing."""
    monkeypatch.setenv("DLCOURSE_BUILD_DIR", str(tmp_path))
    (tmp_path / "release").mkdir()
    return tmp_path


def test_lab_as_root_allows_root_and_says_so(build, monkeypatch, capsys):
    monkeypatch.setattr(run, "running_as_root", lambda: True)
    command = run.job_command("lab", ["--port=9999"])
    assert command[1:4] == ["-m", "jupyter", "lab"]
    assert f"--notebook-dir={build / 'release'}" in command
    assert "--allow-root" in command and command[-1] == "--port=9999"
    out = capsys.readouterr().out
    assert "--allow-root" in out and "root" in out and "提示" in out


def test_lab_as_another_user_does_not_allow_root(build, monkeypatch, capsys):
    monkeypatch.setattr(run, "running_as_root", lambda: False)
    assert "--allow-root" not in run.job_command("lab", [])
    assert capsys.readouterr().out == ""


def test_learner_lab_config_turns_off_the_instructor_tools_only(build):
    env = run.job_env("lab")
    folder = build / "lab-config"
    assert env["JUPYTER_CONFIG_DIR"] == str(folder)
    page = json.loads((folder / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    off = {name for name, disabled in page["disabledExtensions"].items() if disabled}
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= off
    assert "@jupyter/nbgrader:validate-assignment" not in off  # learners keep the Validate button
    server = json.loads((folder / "jupyter_server_config.json").read_text(encoding="utf-8"))
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions["nbgrader.server_extensions.formgrader"] is False
    assert "nbgrader.server_extensions.validate_assignment" not in extensions


def test_other_jobs_keep_the_users_jupyter_config(build, monkeypatch):
    monkeypatch.delenv("JUPYTER_CONFIG_DIR", raising=False)
    assert "JUPYTER_CONFIG_DIR" not in run.job_env("demo")
    assert run.job_command("lint", [])[-3:] == ["ruff", "check", "."]
    assert run.job_command("test", ["-m", "not slow"])[-3:] == ["pytest", "-m", "not slow"]
    assert run.job_command("book", ["--no-figures"])[-4:] == ["-m", "grading", "book", "--no-figures"]


@pytest.mark.slow
def test_jupyter_reads_the_learner_config(build):
    """Jupyter itself, pointed at the folder, lists the instructor extensions as disabled."""
    env = run.job_env("lab")
    jupyter = [sys.executable, "-m", "jupyter"]
    labs = subprocess.run(jupyter + ["labextension", "list"], env=env, capture_output=True, text=True, timeout=120)
    listing = labs.stdout + labs.stderr
    disabled = listing.split("Disabled extensions:", 1)[1]
    assert "@jupyter/nbgrader:formgrader" in disabled and "@jupyter/nbgrader:create-assignment" in disabled
    servers = subprocess.run(jupyter + ["server", "extension", "list"], env=env, capture_output=True, text=True,
                             timeout=120)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", servers.stdout + servers.stderr)  # no colours
    ours = listing.split(f"Config dir: {build / 'lab-config'}", 1)[1].split("Config dir:", 1)[0]
    assert "nbgrader.server_extensions.formgrader disabled" in ours
    assert "validate_assignment" not in ours
