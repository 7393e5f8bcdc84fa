"""environment.yml (conda) and pyproject.toml (pip) name the same packages with the same ranges."""

import re
import tomllib

from grading import COURSE_ROOT


def normalise(requirement):
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def pip_requirements():
    project = tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(normalise(req) for req in requirements)


def conda_requirements():
    text = (COURSE_ROOT / "environment.yml").read_text(encoding="utf-8")
    lines = text.split("\ndependencies:\n", 1)[1].splitlines()
    out = {}
    for line in lines:
        item = re.match(r"^  - (?!pip\b)(?!python\b)([^\s#].*)$", line)
        if item:
            name, spec = normalise(item.group(1))
            out[name] = spec
    return out


def test_both_files_name_the_same_packages_and_ranges():
    assert pip_requirements() == conda_requirements()


def test_ranges_not_pins():
    for name, spec in pip_requirements().items():
        assert "==" not in spec and ">=" in spec, name


def test_conda_environment_installs_the_project_itself():
    assert "- -e ." in (COURSE_ROOT / "environment.yml").read_text(encoding="utf-8")
