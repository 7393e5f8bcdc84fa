"""The conda files and pyproject.toml (pip) name the same packages with the same ranges.

environment-learner.yml is the learner package (pyproject's dependencies);
environment.yml is the instructor's environment (dependencies + [grading] + [test]).
"""

import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the [test] extra brings tomli
    import tomli as tomllib

from grading import COURSE_ROOT


def normalise(requirement):
    """("name", "spec") of a requirement, without extras and environment markers."""
    requirement = requirement.split(";", 1)[0]
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def project():
    return tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pip_requirements(*extras):
    described = project()
    requirements = list(described["dependencies"])
    for extra in extras:
        requirements += described["optional-dependencies"][extra]
    return dict(normalise(req) for req in requirements)


def conda_requirements(name):
    text = (COURSE_ROOT / name).read_text(encoding="utf-8")
    lines = text.split("\ndependencies:\n", 1)[1].splitlines()
    out = {}
    for line in lines:
        item = re.match(r"^  - (?!pip\b)(?!python\b)([^\s#].*)$", line)
        if item:
            package, spec = normalise(item.group(1))
            out[package] = spec
    return out


def test_learner_environment_is_the_learner_package():
    assert pip_requirements() == conda_requirements("environment-learner.yml")


def test_instructor_environment_is_the_package_with_its_grading_and_test_extras():
    assert pip_requirements("grading", "test") == conda_requirements("environment.yml")


def test_the_learner_package_has_no_instructor_dependency():
    learner = pip_requirements()
    assert not {"distributed", "psycopg", "tqdm", "pytest"} & set(learner)


def test_ranges_not_pins():
    for name, spec in pip_requirements("grading", "test").items():
        assert "==" not in spec and ">=" in spec, name


def test_conda_environments_install_the_project_itself():
    assert "- -e .[grading,test]" in (COURSE_ROOT / "environment.yml").read_text(encoding="utf-8")
    # The learner's is a plain install: the datasets come with it (setup.py).
    assert re.search(r"^      - \.$", (COURSE_ROOT / "environment-learner.yml").read_text(encoding="utf-8"), re.M)
