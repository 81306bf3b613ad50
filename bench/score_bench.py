"""Scoring benchmark (issue 4): 100,000 suppliers with evidence in SQLite, scored from stored facts.

    .venv/bin/python -m bench.score_bench                      # 100,000 suppliers, one process
    .venv/bin/python -m bench.score_bench --suppliers 20000 --workers 2

It builds its own database (a migrated SQLite file in a temporary folder, or --db PATH to keep it),
fills it with deterministic suppliers, certificates, pledges, training, incidents, blacklist
entries, screenings and category requirements, then times the two steps an evaluation of every
supplier takes: loading SupplierFacts as of a date through the facts loader (one query per table
per batch of suppliers) and scoring them with the default periodic scheme. Figures, not pass/fail;
the aim is 20 s or less on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from supplychain.services.registry.categories import DEFAULT_CATEGORIES

AS_OF = date(2025, 12, 31)
CATEGORIES = DEFAULT_CATEGORIES
CERT_TYPES = (
    "iso9001",
    "iso14001",
    "iso45001",
    "production_licence",
    "safety_production_licence",
    "iso50001",
)
PLEDGES = ("integrity", "code_of_conduct", "anti_bribery", "clean_government")
TOPICS = ("esg", "safety", "environment", "anti_corruption", "labour_rights", "quality")
INCIDENT_CATEGORIES = ("environmental", "labour", "safety", "ethics", "quality")


def generate(session: Session, count: int, seed: int = 2024) -> dict[str, int]:
    """Insert `count` suppliers with evidence rows (bulk executemany); returns row counts per table."""
    from supplychain import credit_code
    from supplychain.models import (
        BlacklistEntry,
        CategoryRequirement,
        Certification,
        Incident,
        IntegrityPledge,
        Supplier,
        SupplyCategory,
        TrainingAttendance,
        TrainingSession,
        supplier_categories,
    )
    from supplychain.models.screening import ScreeningResult

    rng = random.Random(seed)
    now = datetime(2025, 12, 31, tzinfo=UTC)
    session.execute(
        insert(SupplyCategory),
        [
            {"code": code, "name_zh": zh, "name_en": en, "active": True, "requires_trial": trial}
            for code, zh, en, trial, _risk in CATEGORIES
        ],
    )
    category_ids = list(session.scalars(select(SupplyCategory.id).order_by(SupplyCategory.id)))
    session.execute(
        insert(CategoryRequirement),
        [
            {"category_id": category_ids[1], "kind": "certificate", "value": "production_licence"},
            {"category_id": category_ids[3], "kind": "certificate", "value": "safety_production_licence"},
        ],
    )
    codes: set[str] = set()
    suppliers = []
    for index in range(count):
        code = credit_code.generate(rng, "500100")
        while code in codes:
            code = credit_code.generate(rng, "500100")
        codes.add(code)
        suppliers.append(
            {
                "id": index + 1,
                "name_zh": f"重庆基准测试供应商{index}有限公司",
                "name_en": None,
                "name_key": f"重庆基准测试供应商{index}",
                "credit_code": code,
                "country": "CN",
                "province_code": "500000",
                "region": "southwest",
                "city": "重庆",
                "address": None,
                "status": "qualified",
                "registered_on": date(2020, 1, 1),
                "created_at": now,
                "updated_at": now,
            }
        )
    session.execute(insert(Supplier), suppliers)
    links = [
        {"supplier_id": s["id"], "category_id": category_ids[s["id"] % len(category_ids)]} for s in suppliers
    ]
    session.execute(insert(supplier_categories), links)

    certificates, pledges, attendances, incidents, screenings, blacklist = [], [], [], [], [], []
    session.execute(
        insert(TrainingSession),
        [
            {
                "id": n + 1,
                "title": f"供应商培训 {n + 1}",
                "topic": TOPICS[n % len(TOPICS)],
                "held_on": AS_OF - timedelta(days=rng.randint(0, 540)),
                "hours": rng.choice((2, 4, 8)),
                "mode": "onsite",
                "created_at": now,
            }
            for n in range(400)
        ],
    )
    for s in suppliers:
        sid = s["id"]
        for cert_type in rng.sample(CERT_TYPES, rng.randint(1, 4)):
            issued = AS_OF - timedelta(days=rng.randint(30, 1500))
            certificates.append(
                {
                    "supplier_id": sid,
                    "cert_type": cert_type,
                    "number": f"C{sid}-{cert_type}",
                    "issuer": "CQC",
                    "issued_on": issued,
                    "expires_on": issued + timedelta(days=1095),
                    "verified_on": issued + timedelta(days=10) if rng.random() < 0.9 else None,
                    "created_at": now,
                }
            )
        for kind in rng.sample(PLEDGES, rng.randint(0, 3)):
            pledges.append(
                {
                    "supplier_id": sid,
                    "kind": kind,
                    "signatory_name": "王伟",
                    "method": "paper",
                    "signed_on": AS_OF - timedelta(days=rng.randint(1, 900)),
                    "valid_until": AS_OF + timedelta(days=rng.randint(-200, 700)),
                    "created_at": now,
                }
            )
        for session_id in rng.sample(range(1, 401), rng.randint(0, 3)):
            attendances.append(
                {
                    "session_id": session_id,
                    "supplier_id": sid,
                    "head_count": rng.randint(1, 5),
                    "completed": rng.random() < 0.95,
                }
            )
        if rng.random() < 0.08:
            incidents.append(
                {
                    "supplier_id": sid,
                    "category": rng.choice(INCIDENT_CATEGORIES),
                    "severity": rng.choices(("minor", "major", "critical"), (6, 3, 1))[0],
                    "occurred_on": AS_OF - timedelta(days=rng.randint(1, 1500)),
                    "description": "基准测试事件",
                    "status": "open",
                    "created_at": now,
                }
            )
        if rng.random() < 0.5:
            checked_on = AS_OF - timedelta(days=rng.randint(1, 700))
            for code, chance in (("serious_dishonesty", 0.01), ("principal_bribery", 0.005),
                                 ("pledge_refusal", 0.005), ("judgment_debtor", 0.01)):
                screenings.append(
                    {
                        "supplier_id": sid,
                        "list_code": code,
                        "result": "listed" if rng.random() < chance else "clear",
                        "checked_on": checked_on,
                        "created_at": now,
                    }
                )
        if rng.random() < 0.005:
            blacklist.append(
                {
                    "credit_code": s["credit_code"] if rng.random() < 0.5 else None,
                    "supplier_id": sid,
                    "reason": "bribery",
                    "decided_by": "招标监督委员会",
                    "since_on": date(2024, 1, 1),
                    "social_noncompliance": True,
                    "created_at": now,
                }
            )
    for model, rows in (
        (Certification, certificates),
        (IntegrityPledge, pledges),
        (TrainingAttendance, attendances),
        (Incident, incidents),
        (ScreeningResult, screenings),
        (BlacklistEntry, blacklist),
    ):
        if rows:
            session.execute(insert(model), rows)
    session.commit()
    return {
        "suppliers": count,
        "certifications": len(certificates),
        "pledges": len(pledges),
        "training_attendances": len(attendances),
        "incidents": len(incidents),
        "screenings": len(screenings),
        "blacklist_entries": len(blacklist),
    }


def manual_scores(supplier_id: int, keys: tuple[str, ...]) -> dict[str, float]:
    """Deterministic evaluator scores 40-100 for a supplier (what the evaluators would have entered)."""
    return {key: float(40 + (supplier_id * 7919 + index * 104729) % 61) for index, key in enumerate(keys)}


def load_and_score(db_path: str, ids: list[int]) -> tuple[float, float, list[tuple[int, float, str]], float]:
    """Load the facts of the suppliers as of AS_OF and score them; returns (load s, score s, results,
    CPU s of this process: the figure other processes on a busy machine cannot inflate)."""
    from config.schemes import PERIODIC_SCHEME
    from supplychain import db
    from supplychain.scoring import score
    from supplychain.services.evaluation import facts_loader

    cpu = time.process_time()
    engine = db.make_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:
        started = time.perf_counter()
        facts = facts_loader.load_facts(session, ids, AS_OF, facts_loader.window_for(PERIODIC_SCHEME))
        loaded = time.perf_counter() - started
    engine.dispose()
    keys = tuple(c.key for c in PERIODIC_SCHEME.scorable_criteria())
    started = time.perf_counter()
    results = []
    for sid in ids:
        result = score(PERIODIC_SCHEME, facts[sid], manual_scores(sid, keys), AS_OF)
        results.append((sid, result.total, result.band.key))
    return loaded, time.perf_counter() - started, results, time.process_time() - cpu


def run(count: int, workers: int, db_path: Path) -> None:
    """Generate (unless the database is already filled), then time loading and scoring."""
    from supplychain import db, migrate
    from supplychain.models import Supplier

    url = f"sqlite:///{db_path}"
    engine = db.make_engine(url)
    fresh = not db_path.exists()
    if fresh:
        migrate.upgrade(url, "head")
    with Session(engine) as session:
        if not session.scalar(select(Supplier.id).limit(1)):
            started = time.perf_counter()
            counts = generate(session, count)
            print(
                f"generated in {time.perf_counter() - started:.1f} s: "
                + ", ".join(f"{name} {n:,}" for name, n in counts.items())
            )
        ids = list(session.scalars(select(Supplier.id).order_by(Supplier.id)))
    engine.dispose()

    started = time.perf_counter()
    if workers <= 1:
        loaded, scored, results, cpu = load_and_score(str(db_path), ids)
        cpus = [cpu]
    else:
        size = -(-len(ids) // workers)
        parts = [ids[i : i + size] for i in range(0, len(ids), size)]
        with ProcessPoolExecutor(workers) as pool:
            outcomes = list(pool.map(load_and_score, [str(db_path)] * len(parts), parts))
        loaded = max(o[0] for o in outcomes)
        scored = max(o[1] for o in outcomes)
        results = [row for o in outcomes for row in o[2]]
        cpus = [o[3] for o in outcomes]
    wall = time.perf_counter() - started

    grades: dict[str, int] = {}
    for _sid, _total, band in results:
        grades[band] = grades.get(band, 0) + 1
    print(
        f"suppliers scored: {len(results):,} with the default periodic scheme (processes: {max(1, workers)})"
    )
    print(
        f"load facts: {loaded:.2f} s   score: {scored:.2f} s   wall clock: {wall:.2f} s   "
        f"({wall / max(1, len(results)) * 1e6:.0f} µs per supplier)"
    )
    print(
        "CPU seconds per process: "
        + ", ".join(f"{c:.2f}" for c in cpus)
        + f" (load average {os.getloadavg()[0]:.1f}: on a busy machine the wall clock exceeds the CPU time)"
    )
    print("grades: " + ", ".join(f"{k} {v:,}" for k, v in sorted(grades.items())))
    print(f"aim: ≤ 20 s on 2 cores → {'met' if wall <= 20 else 'NOT met'}")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes, each loading and scoring its share of the suppliers",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="keep the SQLite database here (reused if filled)"
    )
    args = parser.parse_args()
    if args.db is not None:
        run(args.suppliers, args.workers, args.db)
        return
    with tempfile.TemporaryDirectory(prefix="score-bench-") as folder:
        run(args.suppliers, args.workers, Path(folder) / "bench.sqlite3")


if __name__ == "__main__":
    os.environ.setdefault("APP_ENV", "development")
    main()
