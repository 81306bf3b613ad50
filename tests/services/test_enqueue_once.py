"""`jobs.enqueue_once` queues one job, even for two changes committed at the same instant (the risk recompute
after spend batches, issue 10/12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from supplychain import jobs
from supplychain.models import BackgroundJob, SupplyCategory
from supplychain.models.base import utcnow
from supplychain.services.risk import recompute_job

KIND = recompute_job.KIND


def _jobs(session) -> int:
    return session.scalar(select(func.count(BackgroundJob.id)).where(BackgroundJob.kind == KIND))


@pytest.fixture
def no_worker(monkeypatch):
    """Jobs stay queued: nothing starts them."""
    monkeypatch.setattr(jobs, "_dispatch", lambda *_args: None)


def test_a_second_enqueue_while_one_is_queued_adds_no_job(app, session, monkeypatch, no_worker):
    first, new = jobs.enqueue_once(session, app, KIND, {}, None)
    assert new and first.waiting_key == KIND
    # The second batch looked for a waiting job before the first committed, so it saw none.
    monkeypatch.setattr(jobs, "waiting", lambda *_args: None)
    session.add(SupplyCategory(code="late", name_zh="后到", name_en="Late"))  # the second batch's own change
    again, new = jobs.enqueue_once(session, app, KIND, {}, None)
    assert (again.id, new) == (first.id, False)
    assert _jobs(session) == 1
    session.expire_all()
    assert session.scalar(select(SupplyCategory.id).where(SupplyCategory.code == "late")) is not None  # kept, committed


def test_the_database_refuses_a_second_waiting_job_of_a_kind(session):
    session.add(BackgroundJob(kind=KIND, params={}, status="queued", waiting_key=KIND))
    session.commit()
    session.add(BackgroundJob(kind=KIND, params={}, status="queued", waiting_key=KIND))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    session.add(BackgroundJob(kind=KIND, params={}, status="queued"))  # jobs queued without the key: any number
    session.add(BackgroundJob(kind=KIND, params={}, status="queued"))
    session.commit()


def test_a_started_job_gives_its_key_up_so_the_next_change_queues_again(app, session, no_worker):
    first, _new = jobs.enqueue_once(session, app, KIND, {}, None)
    jobs.run_inline(session, app, first.id)
    session.expire_all()
    assert session.get(BackgroundJob, first.id).waiting_key is None
    fresh, new = jobs.enqueue_once(session, app, KIND, {}, None)
    assert new and fresh.id != first.id and _jobs(session) == 2


def test_a_lost_job_does_not_block_the_next_one(app, session, no_worker):
    lost, _new = jobs.enqueue_once(session, app, KIND, {}, None)
    lost.created_at = utcnow() - jobs.STALE_AFTER - timedelta(minutes=1)  # its worker never came
    session.commit()
    fresh, new = jobs.enqueue_once(session, app, KIND, {}, None)
    assert new and fresh.id != lost.id
    session.expire_all()
    assert session.get(BackgroundJob, lost.id).waiting_key is None
    assert session.get(BackgroundJob, fresh.id).waiting_key == KIND
