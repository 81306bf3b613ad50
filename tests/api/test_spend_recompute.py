"""A spend batch moves every supplier's share of spend: one whole risk recompute follows in the background."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from supplychain import jobs
from supplychain.models import BackgroundJob, SupplierRisk
from supplychain.services.risk import recompute_job
from tests.factories import gen_category, gen_root, gen_supplier
from tests.integration_factories import bearer, gen_api_client
from tests.purchasing_factories import gen_spend

MONTH = f"{date.today():%Y-%m}"


def _tier(session, supplier) -> tuple[str, float]:
    session.expire_all()
    risk = session.get(SupplierRisk, supplier.id)
    return risk.tier, {entry["factor"]: entry["points"] for entry in risk.factors}["spend_share"]


def _line(supplier, org, external_id, amount):
    return {"external_id": external_id, "organisation": org.code, "category": "equipment", "month": MONTH,
            "amount": amount, "currency": "CNY", "credit_code": supplier.credit_code}


def _engineering_supplier_with_all_the_spend(session):
    category = gen_category(session, code="engineering", name_zh="工程分包", name_en="Engineering subcontracting")
    category.risk_level = "high"
    gen_category(session)  # what the spend is for
    root = gen_root(session)
    kept = gen_supplier(session, categories=["engineering"], organisation=root)
    gen_spend(session, kept, root, month=MONTH, amount="1000.00")
    return root, kept


def test_another_suppliers_tier_moves_after_the_background_recompute(client, session):
    root, kept = _engineering_supplier_with_all_the_spend(session)
    newcomer = gen_supplier(session, organisation=root)
    _, token = gen_api_client(session, scopes=["spend:write"])
    session.commit()
    assert _tier(session, kept) == ("high", 15)  # high category 25 + all of the group's spend 15

    response = client.post("/api/v1/spend-batches", json={"lines": [_line(newcomer, root, "PO-9", "99000.00")]},
                           headers=bearer(token))
    assert response.status_code == 201
    job = session.scalar(select(BackgroundJob).where(BackgroundJob.kind == recompute_job.KIND))
    assert job is not None and job.created_by_id is None
    assert jobs.wait(job.id, 60)
    session.expire_all()
    assert session.get(BackgroundJob, job.id).status == "finished"
    # The kept supplier was not in the batch, yet its share fell from 100 % to 1 %: medium now.
    assert _tier(session, kept) == ("medium", 1.5)


def test_a_job_still_waiting_to_start_is_not_queued_twice(app, session):
    root, _kept = _engineering_supplier_with_all_the_spend(session)
    session.commit()
    waiting = jobs.create_inline(session, recompute_job.KIND, {})  # queued, not started (no worker yet)
    again, new = jobs.enqueue_once(session, app, recompute_job.KIND, {}, None)
    assert (again.id, new) == (waiting.id, False)
    jobs.run_inline(session, app, waiting.id)  # started and finished: the next change needs a new job
    fresh, new = jobs.enqueue_once(session, app, recompute_job.KIND, {}, None)
    assert new and fresh.id != waiting.id
    assert jobs.wait(fresh.id, 60)


def test_a_resent_batch_that_changes_nothing_queues_nothing(client, session):
    root, kept = _engineering_supplier_with_all_the_spend(session)
    _, token = gen_api_client(session, scopes=["spend:write"])
    session.commit()
    body = {"lines": [_line(kept, root, "PO-1", "5.00") | {"month": "2020-01"}]}
    first = client.post("/api/v1/spend-batches", json=body, headers=bearer(token))
    job_id = session.scalar(select(BackgroundJob.id).where(BackgroundJob.kind == recompute_job.KIND))
    assert first.status_code == 201 and jobs.wait(job_id, 60)
    again = client.post("/api/v1/spend-batches", json=body, headers=bearer(token))
    assert again.json == {"created": 0, "unchanged": 1}
    assert len(session.scalars(select(BackgroundJob.id).where(BackgroundJob.kind == recompute_job.KIND)).all()) == 1


def test_the_spend_import_command_queues_the_recompute_and_waits_for_it(app, session, tmp_path):
    root, kept = _engineering_supplier_with_all_the_spend(session)
    newcomer = gen_supplier(session, organisation=root)
    session.commit()
    path = tmp_path / "spend.csv"
    path.write_text("external_id,organisation,credit_code,category,month,amount,currency\n"
                    f"F-1,{root.code},{newcomer.credit_code},equipment,{MONTH},99000,CNY\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["spend", "import", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "recomputed in the background" in result.output
    assert _tier(session, kept) == ("medium", 1.5)


def test_on_rq_two_batches_before_a_worker_starts_queue_one_recompute(app, client, session, monkeypatch):
    """With Redis: the job waits in the queue; the second batch finds it there; a worker then runs it once."""
    from tests.redis_support import empty_queue, redis_url, work_burst

    url = redis_url()
    queue = empty_queue(url)
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    root, kept = _engineering_supplier_with_all_the_spend(session)
    first, second = gen_supplier(session, organisation=root), gen_supplier(session, organisation=root)
    _, token = gen_api_client(session, scopes=["spend:write"])
    session.commit()
    for number, supplier in enumerate((first, second)):
        response = client.post("/api/v1/spend-batches", headers=bearer(token),
                               json={"lines": [_line(supplier, root, f"RQ-{number}", "49500.00")]})
        assert response.status_code == 201
    queued = session.scalars(select(BackgroundJob).where(BackgroundJob.kind == recompute_job.KIND)).all()
    assert len(queued) == 1 and queued[0].backend == "rq" and queue.count == 1
    work_burst(app, session, queue)
    assert session.get(BackgroundJob, queued[0].id).status == "finished"
    assert _tier(session, kept) == ("medium", 1.5)
