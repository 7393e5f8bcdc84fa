"""A Jupyter kernel for grading: a memory limit and one BLAS thread.

The grader registers a kernel spec whose command is
``python -m grading.cohort.sandbox_kernel --memory-mb N -f {connection_file}``.
The limit (RLIMIT_AS) makes a runaway allocation fail with MemoryError inside
the kernel instead of exhausting the machine; one BLAS thread per kernel keeps
parallel workers from slowing each other down.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "dlcourse-grading"
BLAS_THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                "NUMEXPR_NUM_THREADS": "1", "VECLIB_MAXIMUM_THREADS": "1"}


def register(memory_mb):
    """Write a kernel spec in a temporary folder; return the folder for JUPYTER_PATH."""
    folder = Path(tempfile.mkdtemp(prefix="dlcourse-kernel-"))
    spec_dir = folder / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "grading.cohort.sandbox_kernel", "--memory-mb", str(int(memory_mb)),
                 "-f", "{connection_file}"],
        "display_name": "dlcourse grading",
        "language": "python",
        # As under nbgrader, so notebooks shorten long training cells (helpers.runtime.under_nbgrader).
        "env": {**BLAS_THREADS, "NBGRADER_EXECUTION": "autograde"},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return folder


def main(argv):
    memory_mb = int(argv[argv.index("--memory-mb") + 1])
    rest = [a for i, a in enumerate(argv) if a != "--memory-mb" and (i == 0 or argv[i - 1] != "--memory-mb")]
    os.environ.update(BLAS_THREADS)
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from ipykernel.kernelapp import launch_new_instance

    sys.argv = [sys.argv[0], *rest]
    launch_new_instance()


if __name__ == "__main__":
    main(sys.argv[1:])
