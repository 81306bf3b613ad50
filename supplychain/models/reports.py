"""Background jobs (scorecard exports) and the scorecards issued with a verification code (issue 6)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

JOB_STATUSES = ("queued", "running", "finished", "failed")
JOB_BACKENDS = ("rq", "thread", "inline")


class BackgroundJob(Base):
    """A long task (a periodic scorecard export) run by an RQ worker or a thread of the app.

    ``progress_done`` is incremented in SQL by each part as it finishes, so several workers can
    report on one job; ``result`` holds the summary, including every supplier that failed.
    """

    __tablename__ = "background_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    backend: Mapped[str] = mapped_column(String(10), default="thread")
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict | None] = mapped_column(JSON)
    output_path: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(Text)
    # Each run (the first and every retry) counts, so a part left over from an earlier run is ignored.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Touched whenever progress is made: a "running" job whose heartbeat is old has died with its process.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The kind, while a job queued by `jobs.enqueue_once` waits to start (NULL once it starts or fails): unique,
    # so two changes committed at the same instant cannot both queue one (migration 0029).
    waiting_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 before the total is known)."""
        if not self.progress_total:
            return 100 if self.status == "finished" else 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def failures(self) -> list[dict]:
        """The items that failed, each {"supplier_id", "evaluation_id", "name", "error"}."""
        return list((self.result or {}).get("failures", []))

    def __repr__(self) -> str:
        return f"<BackgroundJob {self.id} {self.kind} {self.status}>"


class ScorecardIssue(Base):
    """A scorecard as issued: its verification code, the figures it printed and their SHA-256.

    The code is derived from the hash (keyed with the app's secret), so the same figures always
    get the same code and a copy with other figures cannot carry a code that verifies.
    """

    __tablename__ = "scorecard_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    figures: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<ScorecardIssue {self.code} evaluation={self.evaluation_id}>"
