"""The learner package installed the ordinary way (a wheel, not editable) works from any folder.

The wheel is built with pip from the checkout and installed with --no-deps into a
temporary target folder; a fresh interpreter of this environment (which has the
dependencies) imports it through PYTHONPATH from a temporary working folder, so
neither the checkout nor its editable install can be what is loaded.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

from grading import COURSE_ROOT

pytestmark = pytest.mark.slow  # builds a wheel and installs it (about 10 s)

LOAD_EVERYTHING = textwrap.dedent("""
    import json, os, sys
    import helpers
    from helpers.cat_data import load_cat_dataset
    from helpers.digits_data import load_digits_split, make_spiral
    from helpers.goalkeeper_data import load_goalkeeper_dataset
    from helpers.planar_data import load_extra_datasets, load_planar_dataset

    cat = load_cat_dataset()
    goalkeeper = load_goalkeeper_dataset()
    digits = load_digits_split()
    spiral = make_spiral()
    planar = load_planar_dataset()
    extra = load_extra_datasets()
    print(json.dumps({
        "helpers": os.path.dirname(helpers.__file__),
        "cat": [list(a.shape) for a in cat],
        "goalkeeper": [list(a.shape) for a in goalkeeper],
        "digits": [list(a.shape) for a in digits],
        "spiral": [list(a.shape) for a in spiral],
        "planar": [list(a.shape) for a in planar],
        "extra": sorted(extra),
    }))
""")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(COURSE_ROOT)],
                   check=True, capture_output=True, text=True, timeout=300)
    (path,) = out.glob("dlcourse_helpers-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    return target


def _run(script, target, cwd, data_dir=None):
    env = {key: value for key, value in os.environ.items()
           if key not in ("DLCOURSE_DATA_DIR", "PYTHONPATH", "DLCOURSE_HIDDEN_DIR")}
    env["PYTHONPATH"] = str(target)
    env["MPLBACKEND"] = "Agg"
    if data_dir is not None:
        env["DLCOURSE_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_wheel_holds_every_helper_module_and_the_data_but_no_instructor_tooling(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in sorted((COURSE_ROOT / "helpers").rglob("*.py")):
        assert module.relative_to(COURSE_ROOT).as_posix() in names
    assert {"helpers/data/catvnoncat/train_catvnoncat.h5", "helpers/data/catvnoncat/test_catvnoncat.h5",
            "helpers/data/goalkeeper/data.mat"} <= names
    assert not [name for name in names if name.startswith(("grading/", "datasets/", "tests/", "notebooks/"))]


def test_instructor_dependencies_are_only_in_the_grading_extra(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    for name in ("distributed", "psycopg", "tqdm", "nbclient"):
        (line,) = [req for req in requires if req.startswith(name)]
        assert 'extra == "grading"' in line, line
    assert any(req.startswith("nbgrader") and "extra" not in req for req in requires)


def test_every_loader_works_from_another_folder(installed, tmp_path):
    result = _run(LOAD_EVERYTHING, installed, tmp_path)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["helpers"] == str(installed / "helpers")
    assert got["cat"] == [[209, 64, 64, 3], [1, 209], [50, 64, 64, 3], [1, 50], [2]]
    assert got["goalkeeper"][0][0] == 2 and got["goalkeeper"][1][0] == 1
    assert len(got["digits"]) == 4 and got["digits"][0][0] == 64
    assert got["planar"] == [[2, 400], [1, 400]]
    assert len(got["extra"]) == 5


def test_the_data_variable_names_the_folder_of_dataset_folders(installed, tmp_path):
    root = tmp_path / "my data"
    for name in ("catvnoncat", "goalkeeper"):
        shutil.copytree(COURSE_ROOT / "datasets" / name, root / name)
    result = _run(LOAD_EVERYTHING, installed, tmp_path, data_dir=root)
    assert result.returncode == 0, result.stderr

    # The files themselves in the named folder are not found: the message says what the variable means.
    flat = tmp_path / "flat"
    shutil.copytree(COURSE_ROOT / "datasets" / "catvnoncat", flat)
    script = ("from helpers.cat_data import load_cat_dataset\nfrom helpers.errors import DatasetError\n"
              "try:\n    load_cat_dataset()\nexcept DatasetError as err:\n    print(err.en)\n    print(err.zh)\n")
    result = _run(script, installed, tmp_path, data_dir=flat)
    assert result.returncode == 0, result.stderr
    assert str(flat / "catvnoncat" / "train_catvnoncat.h5") in result.stdout
    assert "catvnoncat/ folder" in result.stdout and "catvnoncat/ 子文件夹" in result.stdout
