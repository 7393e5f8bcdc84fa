"""Where the course's data files are: one rule for every loader.

The data root is a folder that holds one folder per dataset::

    <data root>/catvnoncat/train_catvnoncat.h5, test_catvnoncat.h5
    <data root>/goalkeeper/data.mat

It is, in this order:

1. ``$DLCOURSE_DATA_DIR`` when it is set and not empty;
2. ``helpers/data/`` inside the installed package (``pip install .`` copies the
   repository's data files there when it builds the wheel, see setup.py);
3. the repository's ``datasets/`` folder next to ``helpers/`` (a checkout, or an
   editable install).

The digits and planar datasets are generated or come with scikit-learn; they
need no file.
"""

import os
from pathlib import Path

ENV_VAR = "DLCOURSE_DATA_DIR"
_PACKAGE = Path(__file__).resolve().parent


def data_root():
    """The folder that holds the dataset folders.

    Inputs: none (reads $DLCOURSE_DATA_DIR).
    Returns: Path -- the first of $DLCOURSE_DATA_DIR, helpers/data/ (installed
        package) and the repository's datasets/ (checkout); the last one even
        when it does not exist, so that an error message can name it.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    packaged = _PACKAGE / "data"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "datasets"


def dataset_dir(name):
    """The folder of one dataset, e.g. ``dataset_dir("catvnoncat")``.

    Inputs: name -- str, the dataset's folder name.
    Returns: Path -- data_root() / name.
    """
    return data_root() / name
