"""Risk tier recompute benchmark (issue 11): every supplier's inherent risk tier, as `flask risk recompute` does.

    .venv/bin/python -m bench.risk_bench --suppliers 100000
    .venv/bin/python -m bench.risk_bench --suppliers 100000 --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_risk

Prints figures; it does not pass or fail. SQLite runs in a fresh file under bench/out/ (or --db);
a PostgreSQL URL must name an empty database. See bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from bench.database import DB_HELP, open_database, proc_stat, process_cpu, url_from_argument

SMALL_CATEGORIES = 200  # niche categories with one qualified supplier each: single-source risk
PROVINCES = ("500000", "510000", "310000", "440000", "110000", "420000", "610000", "210000")
COUNTRIES = ("DE", "JP", "US", "KR", "VN", "RU")


def _setup(session, count: int, seed: int, today: date) -> None:
    """Suppliers with categories, qualifications, spend, incidents and certificates, inserted in bulk."""
    from sqlalchemy import insert, select

    from supplychain import regions, scope
    from supplychain.models import (
        Certification,
        Incident,
        RegionRisk,
        SpendLine,
        Supplier,
        SupplierQualification,
        SupplyCategory,
        supplier_categories,
    )
    from supplychain.services.registry import categories

    rng = random.Random(seed)
    now = datetime.now(UTC)
    root_id = scope.root(session).id
    categories.ensure_defaults(session)
    session.execute(insert(SupplyCategory), [
        {"code": f"niche{i:03d}", "name_zh": f"小品类{i}", "name_en": f"Niche {i}", "active": True,
         "requires_trial": False, "risk_level": rng.choice(("low", "medium", "high"))}
        for i in range(SMALL_CATEGORIES)])
    category_ids = dict(session.execute(select(SupplyCategory.code, SupplyCategory.id)).all())
    main_categories = [category_ids[code] for code in category_ids if not code.startswith("niche")]
    niche = [category_ids[code] for code in category_ids if code.startswith("niche")]
    session.execute(insert(RegionRisk), [
        {"area": area, "level": level, "version_id": 1, "created_at": now, "updated_at": now}
        for area, level in (("overseas", "medium"), ("RU", "high"), ("northwest", "medium"))])
    rows = []
    for i in range(count):
        overseas = i % 50 == 0
        province = None if overseas else rng.choice(PROVINCES)
        country = rng.choice(COUNTRIES) if overseas else "CN"
        rows.append({"name_zh": f"风险基准供应商{i}", "name_key": f"风险基准供应商{i}", "credit_code": None,
                     "search_text": f"risk bench {i}", "country": country, "province_code": province,
                     "region": regions.region_for(country, province), "status": "qualified",
                     "registered_on": date(2020, 1, 1), "created_at": now, "updated_at": now})
    for start in range(0, count, 20000):
        session.execute(insert(Supplier), rows[start:start + 20000])
    ids = list(session.scalars(scope.unscoped(select(Supplier.id).order_by(Supplier.id))))
    links, qualifications, spend, incidents, certificates = [], [], [], [], []
    for n, supplier_id in enumerate(ids):
        chosen = rng.sample(main_categories, rng.choice((1, 1, 2)))
        if n < SMALL_CATEGORIES:
            chosen.append(niche[n])
        for category_id in chosen:
            links.append({"supplier_id": supplier_id, "category_id": category_id})
            qualifications.append({"supplier_id": supplier_id, "category_id": category_id, "status": "qualified",
                                   "since_on": date(2021, 1, 1), "created_at": now, "updated_at": now})
        if rng.random() < 0.3:
            spend.append({"external_id": f"RB-{n}", "organisation_id": root_id, "supplier_id": supplier_id,
                          "category_id": chosen[0], "month_on": today.replace(day=1),
                          "amount": rng.randrange(1_000, 50_000_000), "currency": "CNY", "order_count": 1,
                          "created_at": now, "updated_at": now})
        if rng.random() < 0.05:
            incidents.append({"supplier_id": supplier_id, "category": "safety",
                              "severity": rng.choice(("minor", "major", "critical")),
                              "occurred_on": today - timedelta(days=rng.randrange(1, 1500)),
                              "description": "基准事件", "status": "open", "version_id": 1, "created_at": now})
        if rng.random() < 0.5:
            expires = today + timedelta(days=rng.randrange(-400, 1000))
            certificates.append({"supplier_id": supplier_id, "cert_type": rng.choice(("iso9001", "iso14001")),
                                 "number": f"RB{n}", "issuer": "认证机构", "issued_on": date(2022, 1, 1),
                                 "expires_on": expires, "version_id": 1, "created_at": now})
    for table, values in ((supplier_categories, links), (SupplierQualification, qualifications),
                          (SpendLine, spend), (Incident, incidents), (Certification, certificates)):
        for start in range(0, len(values), 20000):
            session.execute(insert(table), values[start:start + 20000])
    session.commit()
    print(f"data: {len(ids):,} suppliers, {len(links):,} category links, {len(spend):,} spend lines, "
          f"{len(incidents):,} incidents, {len(certificates):,} certificates")


def _server_cpu(session):
    """A reader of the PostgreSQL backend's CPU seconds (same machine, from /proc); None for SQLite.

    On a shared machine the wall clock mostly measures the other processes: the client's and the
    server's CPU seconds together say what the recompute costs on an idle one.
    """
    from sqlalchemy import text

    if session.bind.dialect.name != "postgresql":
        return lambda: None
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar()

    def read() -> float | None:
        return process_cpu(pid) if proc_stat(pid) else None

    return read


def run(count: int, seed: int, url: str) -> None:
    """Set up, recompute all twice, refresh a few hundred, report seconds."""
    from sqlalchemy import func, select

    from supplychain import db, scope
    from supplychain.models import Organisation, Supplier, SupplierRisk
    from supplychain.services.risk import recompute

    session, engine = open_database(url)
    today = date.today()
    if scope.root(session) is None:
        session.add(Organisation(code="GROUP", name_zh="基准集团", kind="group", home_province="500000"))
        session.commit()
    started = time.perf_counter()
    _setup(session, count, seed, today)
    print(f"set up in {time.perf_counter() - started:.1f} s")
    server = _server_cpu(session)
    for label in ("first recompute (no tiers yet)", "second recompute (every tier replaced)"):
        cpu0, t0, server0 = time.process_time(), time.perf_counter(), server()
        computed = recompute.recompute_all(session, today)
        session.commit()
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        served = f", database server {server() - server0:.1f} CPU-s" if server0 is not None else ""
        print(f"{label}: {computed:,} suppliers in {wall:.1f} s wall, {cpu:.1f} CPU-s{served}")
    some = list(session.scalars(select(Supplier.id).order_by(Supplier.id).limit(500)))
    t0 = time.perf_counter()
    recompute.refresh(session, some, today)
    session.commit()
    print(f"refresh of 500 suppliers (as after a spend batch): {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    recompute.refresh(session, some[:1], today)
    session.commit()
    print(f"refresh of 1 supplier (as after an incident): {(time.perf_counter() - t0) * 1000:.0f} ms")
    tiers = dict(session.execute(select(SupplierRisk.tier, func.count()).group_by(SupplierRisk.tier)).all())
    print(f"tiers: {tiers}")
    db.session.remove()
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", help=DB_HELP)
    args = parser.parse_args(argv)
    url = url_from_argument(args.db)
    run(args.suppliers, args.seed, url)


if __name__ == "__main__":
    sys.exit(main())
