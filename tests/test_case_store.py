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


def test_a_helpers_function_is_stored_by_name_and_rebuilt_by_import(tmp_path):
    from helpers.tuning_data import toy_dev_accuracy

    with h5py.File(tmp_path / "v.h5", "w") as handle:
        write_value(handle, "value", {"train_fn": toy_dev_accuracy, "n_trials": 3})
    with h5py.File(tmp_path / "v.h5", "r") as handle:
        stored = handle["value"]["train_fn"]
        assert stored.attrs["kind"] == "callable"
        assert stored.asstr()[()] == "helpers.tuning_data:toy_dev_accuracy"
        back = read_value(handle["value"])
    assert back["train_fn"] is toy_dev_accuracy and back["n_trials"] == 3


@pytest.mark.parametrize("function", [lambda x: x, np.mean, print, pytest.fixture])
def test_callables_without_an_importable_helpers_name_are_refused(tmp_path, function):
    with h5py.File(tmp_path / "v.h5", "w") as handle, pytest.raises(TypeError):
        write_value(handle, "value", function)


def test_a_nested_helpers_function_is_refused(tmp_path):
    from helpers import tuning_data

    def inner(learning_rate):
        return learning_rate

    inner.__module__ = tuning_data.__name__  # claims the module, but the module has no such name
    with h5py.File(tmp_path / "v.h5", "w") as handle, pytest.raises(TypeError):
        write_value(handle, "value", inner)


@pytest.mark.parametrize("reference", ["os:system", "helpers.tuning_data:np", "helpers.tuning_data:missing",
                                       "helpers.no_such_module:f", "helpers.tuning_data:HOUSES_SEED",
                                       "helpers.tuning_data.np:sum", "helpers.tuning_data:CourseError.__init__"])
def test_stored_names_outside_the_helpers_functions_are_not_imported(tmp_path, reference):
    with h5py.File(tmp_path / "v.h5", "w") as handle:
        data = handle.create_dataset("value", data=reference, dtype=h5py.string_dtype("utf-8"))
        data.attrs["kind"] = "callable"
    with h5py.File(tmp_path / "v.h5", "r") as handle, pytest.raises(CheckSetupError):
        read_value(handle["value"])
