"""Spend batches refreshing their suppliers' tiers while the background job replaces every tier, on real
threads with their own transactions (two gunicorn workers and a job worker): every one of them finishes,
none deadlocks, and the tiers end up as the data says."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from supplychain.models import SupplierRisk
from supplychain.services.risk import recompute
from tests.factories import gen_supplier

THREADS = 4


def test_refreshes_and_a_whole_recompute_at_once_all_finish(app, session):
    suppliers = [gen_supplier(session) for _ in range(12)]
    session.commit()
    ids = [supplier.id for supplier in suppliers]
    make_session = sessionmaker(bind=app.extensions["sqlalchemy_engine"], expire_on_commit=False)
    barrier = threading.Barrier(THREADS)
    errors: list = []

    def run(index: int) -> None:
        own = make_session()
        try:
            barrier.wait(timeout=30)
            for _round in range(3):
                if index == 0:
                    recompute.recompute_all(own, date.today())
                else:  # each batch's suppliers, in an order of its own
                    recompute.refresh(own, ids[index::THREADS - 1][::-1] + ids[:index], date.today())
                own.commit()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            own.rollback()
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert session.scalar(select(func.count(SupplierRisk.supplier_id))) == len(ids)
