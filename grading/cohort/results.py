"""The record of one graded submission, shared by the worker, the report and the gradebook."""

from dataclasses import dataclass, field


@dataclass
class SubmissionResult:
    """What grading one submission decided.

    scores -- {function: points}; reasons -- {function: (en, zh)} why points were lost;
    findings -- [(kind, function, en, zh, disqualifying)] from the source scan;
    notes -- [(en, zh)] about repairs and the run; error -- (en, zh) when the submission
    could not be graded (then every score is 0 and the instructor must look);
    sandboxed -- False when the instructor opted out of the sandbox;
    feedback_html -- the student's page (dropped once written); seconds -- wall time;
    phases -- {phase: seconds}: prepare, sandbox_start, kernel_start, cells, harvest, comparison, feedback.
    """

    student: str
    assignment: str
    scores: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    error: tuple = None
    sandboxed: bool = True
    feedback_html: str = None
    seconds: float = 0.0
    answers: dict = field(default_factory=dict)  # {function: source of its answer cells}, for the similarity report
    phases: dict = field(default_factory=dict)  # {phase: seconds} of this submission's grading (benchmarks/cohort_throughput.py)

    @property
    def total(self):
        return sum(self.scores.values())

    @property
    def status(self):
        return "graded" if not self.error else self.error[0]

    def flags(self):
        """The instructor's flags, one line: findings of the source scan and an unsandboxed run."""
        flags = [f"{kind}: {en}" for kind, _, en, _, _ in self.findings]
        if not self.sandboxed:
            flags.append("unsandboxed")
        return "; ".join(flags)


def ungraded(student, assignment, functions, notes, error, sandboxed=True):
    """A submission that could not be graded: zero points for each of ``functions``, with ``error`` (en, zh)."""
    return SubmissionResult(student, assignment, scores={name: 0.0 for name in functions}, notes=list(notes),
                            error=error, sandboxed=sandboxed)
