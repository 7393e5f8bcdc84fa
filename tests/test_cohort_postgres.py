"""The adversarial fixtures graded into a real PostgreSQL gradebook with several
workers: the same grades as with SQLite, one row per submission.

A PostgreSQL server is started for the test on 127.0.0.1 (Debian's packages;
.ci/run installs them). Outside CI the test is skipped when they are missing;
in CI their absence is a failure.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile

import pytest

from cohort_support import ASSIGNMENT, FIXTURES, expected_grades, mismatches
from grading.cohort import grade_cohort
from grading.cohort import gradebook as cohort_gradebook

pytestmark = pytest.mark.slow  # a PostgreSQL server and a cohort


def _bin_dir():
    """Debian keeps the server tools (initdb, pg_ctl, createdb) together in /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    if shutil.which("initdb"):
        return os.path.dirname(os.path.realpath(shutil.which("initdb")))
    return None


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    bin_dir = _bin_dir()
    if bin_dir is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found; .ci/run installs them"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    data = tempfile.mkdtemp(prefix="dlcourse-pg-")
    run_as = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(data, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    log = os.path.join(data, "server.log")

    def run(*command):
        subprocess.run([*run_as, *command], check=True, capture_output=True, timeout=120)

    run(f"{bin_dir}/initdb", "-D", data + "/db", "-U", "grader", "--auth=trust", "-E", "UTF8")
    run(f"{bin_dir}/pg_ctl", "-D", data + "/db", "-l", log, "-w", "-t", "60",
        "-o", f"-p {port} -c listen_addresses=127.0.0.1 -k {data}", "start")
    try:
        run(f"{bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "grader", "gradebook")
        yield f"postgresql+psycopg://grader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*run_as, f"{bin_dir}/pg_ctl", "-D", data + "/db", "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(data, ignore_errors=True)


def test_adversarial_fixtures_into_postgresql(postgres_url, tmp_path):
    result = grade_cohort(FIXTURES, out_dir=tmp_path, db_url=postgres_url, workers=2, cell_timeout=10,
                          notebook_timeout=20, memory_mb=1500, progress=False, log=lambda *_: None)
    assert mismatches(result) == []
    assert cohort_gradebook.count_submissions(postgres_url, ASSIGNMENT) == len(expected_grades())
    assert cohort_gradebook.total_scores(postgres_url, ASSIGNMENT) == {row["student"]: row["total"] for row in result.rows}
    assert not (tmp_path / "gradebook.db").exists()  # nothing went to SQLite behind our back
