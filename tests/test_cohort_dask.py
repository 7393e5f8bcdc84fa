"""The same grading on a Dask cluster: a local scheduler and two worker
processes on 127.0.0.1, reached by address as a remote cluster would be."""

import pytest

from cohort_support import subset
from grading.cohort import grade_cohort

pytestmark = pytest.mark.slow  # a Dask cluster grading a cohort

SCENARIOS = {"perfect": 100, "blank": 0, "one-wrong-function": 90, "kernel-crash": 100, "malformed-json": 0}


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=50) as cluster:
        yield cluster.scheduler_address


def test_grading_on_a_dask_cluster(scheduler, tmp_path):
    subset(tmp_path / "submitted", SCENARIOS)
    result = grade_cohort(tmp_path / "submitted", out_dir=tmp_path / "out", scheduler=scheduler,
                          cell_timeout=10, progress=False, log=lambda *_: None)
    assert {row["student"]: row["total"] for row in result.rows} == SCENARIOS
    assert scheduler.startswith("tcp://127.0.0.1:")
