"""A pre-started sandbox per grading worker: the fork server of :mod:`.sandbox_runner`.

Starting a bubblewrap sandbox, an interpreter, numpy, matplotlib and a kernel
costs more than grading most submissions. So each worker process (each thread,
on a Dask worker) keeps one sandbox running ``sandbox_runner.py --serve``, with
those libraries imported once, and sends it one submission at a time. The
server forks a fresh process per submission, in namespaces of its own (see the
runner's docstring): no state passes from one student to the next, and nothing
a notebook does outlives its task. The sandbox itself is the one of
:mod:`.sandbox` (no network, no view of the course or of other students, as
``nobody`` when the grader is root), without any helpers module: each task
brings the ones its assignment's student version imports.

When the kernel refuses the server's namespaces (some container runtimes do),
:func:`run` returns None and the worker falls back to a fresh sandbox per
submission (:func:`.sandbox.run`), with the same guarantees at a higher cost.
"""

import atexit
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import sandbox
from .sandbox_runner import FRAME, read_frame

READY_SECONDS = 120  # for the server to import its libraries, on a loaded machine
_local = threading.local()


@functools.lru_cache(maxsize=None)
def _common_stage():
    """The read-only view every server shares: datasets, runner, font cache, an empty helpers folder."""
    folder = Path(tempfile.mkdtemp(prefix="dlcourse-forkserver-"))
    atexit.register(shutil.rmtree, folder, True)
    return sandbox.stage([], folder)


class ForkServer:
    """One running fork server. ``isolation`` is False when tasks cannot get namespaces of their own."""

    def __init__(self, memory_mb):
        self.memory_mb, self.process, self.isolation, self.problem = memory_mb, None, None, None
        self.refused = False  # the server could not isolate its tasks here: never asked again
        self._errors = []

    def start(self):
        command = sandbox._bwrap_prefix(sandbox.bwrap_path(), sandbox.SCRATCH_MB, _common_stage(), None) + [
            sys.executable, "/opt/dlcourse/runner.py", "--serve"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, bufsize=0, start_new_session=True,
                                        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                                        preexec_fn=sandbox._limits(self.memory_mb))
        threading.Thread(target=self._drain, daemon=True).start()
        try:
            ready = read_frame(self.process.stdout.fileno(), 1 << 16, time.monotonic() + READY_SECONDS)
        except (EOFError, TimeoutError, ValueError) as exc:
            self.stop()
            detail = b"".join(self._errors).decode("utf-8", "replace").strip().splitlines()[-1:] or [type(exc).__name__]
            self.isolation, self.problem = False, detail[0][:300]
            return
        self.isolation, self.problem = bool(ready.get("isolation")), ready.get("problem")
        if not self.isolation:
            self.stop()

    def _drain(self):
        stream = self.process.stderr
        while True:
            block = stream.read(65536)
            if not block:
                return
            if sum(map(len, self._errors)) < 65536:
                self._errors.append(block)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.process = None

    def _send(self, payload, deadline):
        data = json.dumps(payload).encode("utf-8")
        view = memoryview(FRAME.pack(len(data)) + data)
        fd = self.process.stdin.fileno()
        while view:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([], [fd], [], wait)[1]:
                raise TimeoutError
            view = view[os.write(fd, view[:1 << 20]):]

    def run(self, payload, wall_seconds):
        """Grade one task; returns a sandbox.SandboxRun."""
        started = time.perf_counter()
        deadline = time.monotonic() + wall_seconds
        record, failure = None, None
        try:
            self._send(payload, deadline)
            out = self.process.stdout.fileno()
            while True:
                frame = read_frame(out, sandbox.RESULT_LIMIT, deadline)
                if not isinstance(frame, dict):
                    raise ValueError("not a frame")
                if "record" in frame:
                    record = frame["record"]
                elif "failure" in frame:
                    failure = str(frame["failure"])[:300]
                elif frame.get("done"):
                    break
        except TimeoutError:
            self.stop()
            return sandbox.SandboxRun(None, sandbox.overtime(wall_seconds), time.perf_counter() - started, True)
        except (EOFError, ValueError, OSError, UnicodeDecodeError) as exc:
            self.stop()
            failure = failure or f"{type(exc).__name__}: {exc}"[:300]
        if record is not None:
            problem = sandbox.check_record(record)
            if problem:
                record = None
        else:
            problem = sandbox.no_result(failure or "no record")
        if record is None:
            self.stop()  # something went wrong inside: the next task gets a new server
        return sandbox.SandboxRun(record, problem, time.perf_counter() - started)


def run(payload, memory_mb, wall_seconds):
    """Grade one task in this thread's fork server (started on first use); None when tasks cannot be
    isolated inside it here, so that the caller uses a sandbox per submission instead."""
    server = getattr(_local, "server", None)
    if server is not None and server.memory_mb != memory_mb:
        server.stop()
        server = None
    if server is None:
        server = _local.server = ForkServer(memory_mb)
        atexit.register(server.stop)
    if server.refused:
        return None
    if not server.alive():
        server.start()
        if not server.isolation:
            server.refused = True
            return None
    return server.run(payload, wall_seconds)
