"""Nested values survive a round trip through HDF5 with their exact structure."""

import h5py
import numpy as np
import pytest

from helpers.case_store import read_cases, read_value, write_case, write_value
from helpers.checker import first_difference
from helpers.errors import CheckSetupError


def test_round_trip_of_nested_values(tmp_path):
    value = {
        "caches": (((np.arange(6.0).reshape(2, 3), np.eye(2), np.zeros((2, 1))), np.ones((2, 3))),),
        "layer_dims": [5, 4, 3],
        "activation": "relu",
        "learning_rate": 0.0075,
        "count": 3,
        "flag": True,
        "nothing": None,
        "labels": np.array([[1, 0, 1]]),
        "中文": "键名也可以是中文",
    }
    with h5py.File(tmp_path / "v.h5", "w") as handle:
        write_value(handle, "value", value)
    with h5py.File(tmp_path / "v.h5", "r") as handle:
        back = read_value(handle["value"])
    assert first_difference(back, value) is None
    assert isinstance(back["caches"], tuple) and isinstance(back["layer_dims"], list)
    assert list(back) == list(value)  # key order kept
    assert back["labels"].dtype == value["labels"].dtype


def test_unknown_types_are_refused(tmp_path):
    with h5py.File(tmp_path / "v.h5", "w") as handle, pytest.raises(TypeError):
        write_value(handle, "value", object())


def test_cases_in_name_order_and_missing_function(tmp_path):
    path = tmp_path / "cases.h5"
    with h5py.File(path, "w") as handle:
        group = handle.create_group("f")
        write_case(group, "2_b", {"x": 2.0}, 4.0, {"sign_flipped": -4.0}, "b", "乙")
        write_case(group, "1_a", {"x": 1.0}, 2.0, {}, "a", "甲")
    cases = read_cases(path, "f")
    assert [case["name"] for case in cases] == ["1_a", "2_b"]
    assert cases[1]["mistakes"] == {"sign_flipped": -4.0} and cases[1]["label_zh"] == "乙"
    with pytest.raises(CheckSetupError):
        read_cases(path, "g")
