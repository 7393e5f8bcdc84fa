"""Build hook of the learner package: the data files go into the wheel as helpers/data/.

The project is described in pyproject.toml; this file only adds the datasets.
They stay in datasets/ in the repository (the scripts there draw them, the cohort
grader stages them from there), and a non-editable install (``pip install .``)
finds them at helpers/data/<dataset>/ (helpers.data_files). An editable install
needs no copy: helpers/ sits next to datasets/.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATASETS = Path(__file__).resolve().parent / "datasets"
DATA_SUFFIXES = (".h5", ".mat")  # the loaders' files; the .py scripts that draw them are not shipped


class BuildPyWithData(build_py):
    """build_py, then a copy of datasets/**/*.h5|.mat to <build>/helpers/data/."""

    def run(self):
        super().run()
        if self.editable_mode:  # setuptools >= 64 (pyproject asks for 68)
            return
        for source in sorted(DATASETS.rglob("*")):
            if source.is_file() and source.suffix in DATA_SUFFIXES:
                target = Path(self.build_lib) / "helpers" / "data" / source.relative_to(DATASETS)
                self.mkpath(str(target.parent))
                self.copy_file(str(source), str(target))


# setuptools' scratch folders go to build/package/, apart from what the course builds in build/.
setup(cmdclass={"build_py": BuildPyWithData}, options={"build": {"build_base": "build/package"}})
