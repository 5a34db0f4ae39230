"""Schedule: what runs beside what during one generation, so that the pipeline can read in order.

Two slow steps run apart from the main line of the pipeline:

- openapi-spec-validator (seconds for a large spec) runs beside the later steps: in this process
  while the models step runs in a worker, else in a forked child for a large spec. Until it has
  passed, the log lines of the later steps are held back; when it finds problems, those are
  raised whatever the later steps did meanwhile, so the outcome is the one of validating first.
- the models step (datamodel-code-generator) runs in the worker the CLI forked at start
  (forked.prepared), else in a forked child for a spec with many schemas, else here.

A `Schedule` is used as a context manager around the steps: leaving it settles what is pending
(an exception still reports validation problems first), or cancels it on an interrupt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TypeVar

from . import forked
from .diagnostics import Diagnostic, GenerationFailed
from .spec import SpecSource, Validation

__all__ = ["MODELS_APART_MIN_SCHEMAS", "Schedule"]

T = TypeVar("T")

# Specs with at least this many schemas run datamodel-code-generator in a child process even when
# no worker was prepared for it (forked.prepared: the CLI prepares one for any spec).
MODELS_APART_MIN_SCHEMAS = 100


@dataclass(frozen=True)
class _Pending:
    """A validation running beside the later steps, and what to do once it has passed."""

    source: SpecSource
    validation: Validation
    on_valid: Callable[[], None]


class Schedule:
    """The validations in flight, the log lines held back until they pass, the models worker."""

    def __init__(
        self, log: Callable[[str], None], warn: Callable[[Diagnostic], None] | None = None
    ) -> None:
        self._log = log
        # Warnings go to `warn` (the CLI groups them), else they are logged as lines.
        self._warn = warn
        self._pending: list[_Pending] = []
        # What later steps said while a validation was in flight: said once it has passed.
        self._held: list[Callable[[], None]] = []
        self._worker = forked.claim("models")

    def __enter__(self) -> Schedule:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is None or issubclass(kind, Exception):
                self.settle()
            else:
                for job in self._pending:
                    job.validation.cancel()
        finally:
            self._close_worker()

    def log(self, line: str) -> None:
        """Print now, or once the validations in flight have passed."""
        if self._pending:
            self._held.append(lambda: self._log(line))
        else:
            self._log(line)

    def warn(self, warning: Diagnostic) -> None:
        """A warning, to `warn` (the CLI groups them) or logged as a line; held back like a
        line while a validation is in flight."""
        if self._pending:
            self._held.append(lambda: self._say(warning))
        else:
            self._say(warning)

    def _say(self, warning: Diagnostic) -> None:
        if self._warn is not None:
            self._warn(warning)
        else:
            self._log(warning.render())

    def validate(
        self, source: SpecSource, validation: Validation, on_valid: Callable[[], None]
    ) -> None:
        """Run the validator beside the later steps when there is something to run beside."""
        self._pending.append(_Pending(source, validation, on_valid))
        if self._worker is None:
            # No models worker to run beside: the validator runs apart for a large spec, else now.
            validation.start()
        if validation.settled or not (validation.running or self._worker is not None):
            self.settle()

    def settle(self) -> None:
        """Finish the validations begun: raise their problems, else release the held lines."""
        for job in self._pending:
            problems = job.validation.problems()
            if problems:
                raise GenerationFailed(job.source.diagnostic(p, m) for p, m in problems)
            for pointer, message, kind in job.validation.warnings():
                self._say(
                    replace(job.source.diagnostic(pointer, message), severity="warning", kind=kind)
                )
            job.on_valid()
        self._pending.clear()
        for say in self._held:
            say()
        self._held.clear()

    def models(
        self, step: Callable[[], T], *, cached: bool, schemas: int, meanwhile: Callable[[], None]
    ) -> T:
        """The models step's result; `meanwhile` runs here while the step runs apart.

        A validation not yet running starts here, beside the models step when that runs apart.
        """
        job: forked.Forked[T] | None = None
        if not cached and schemas and self._worker is not None:
            job = self._worker.run(step)
        elif not cached and schemas >= MODELS_APART_MIN_SCHEMAS and forked.can_fork():
            job = forked.Forked(step)
        self._close_worker()  # not needed any more: ended now rather than at the end
        try:
            meanwhile()
            idle = [p.validation for p in self._pending if not p.validation.running]
            if idle and job is not None:
                self.settle()  # the validator, here while the models step runs apart
            for validation in idle if job is None else ():
                validation.start()
            return job.result() if job is not None else step()
        except BaseException:
            if job is not None:
                job.cancel()
            raise

    def _close_worker(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
