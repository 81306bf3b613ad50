"""Spend import benchmark: a ledger file of N lines imported as `flask spend import` does, then again.

    .venv/bin/python -m bench.spend_bench --lines 1000000
    .venv/bin/python -m bench.spend_bench --lines 1000000 --db postgresql://postgres@127.0.0.1:5432/bench_spend

Prints figures; it does not pass or fail. SQLite runs in a fresh file under bench/out/ (or --db);
a PostgreSQL URL must name an empty database. See bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime

from bench.database import DB_HELP, open_database, url_from_argument

ORGANISATIONS = 10
CATEGORIES = ("equipment", "raw_materials", "logistics", "services", "components")
CURRENCIES = ("CNY",) * 18 + ("HKD", "USD")


def _setup(session, lines: int, seed: int) -> list[tuple[str, str, str, str]]:
    """Organisations, suppliers and relationships in bulk; returns (org code, credit code, category, month) keys."""
    from sqlalchemy import insert, select

    from supplychain import credit_code, scope
    from supplychain.models import Organisation, Supplier, SupplierRelationship
    from supplychain.services.registry import categories

    categories.ensure_defaults(session)
    root = scope.root(session)
    now = datetime.now(UTC)
    session.execute(insert(Organisation), [
        {"code": f"SUB{i:02d}", "parent_id": root.id, "name_zh": f"子公司{i}", "kind": "subsidiary",
         "home_province": ("500000", "140000", "620000", "110000")[i % 4], "version_id": 1, "created_at": now,
         "updated_at": now} for i in range(ORGANISATIONS)])
    orgs = list(session.execute(select(Organisation.code, Organisation.id).where(Organisation.code.like("SUB%"))))
    # Each supplier is bought by one organisation in every category for 12 months: 60 lines a supplier.
    per_supplier = len(CATEGORIES) * 12
    count = -(-lines // per_supplier)
    rng = random.Random(seed)
    codes = set()
    while len(codes) < count:
        codes.add(credit_code.generate(rng, rng.choice(("500100", "140100", "620100", "110100", "310100"))))
    codes = sorted(codes)
    session.execute(insert(Supplier), [
        {"name_zh": f"基准供应商{i}", "name_key": f"基准供应商{i}", "credit_code": code, "search_text": code.lower(),
         "country": "CN", "province_code": code[2:4] + "0000", "region": "southwest", "status": "qualified",
         "registered_on": date(2020, 1, 1), "created_at": now, "updated_at": now} for i, code in enumerate(codes)])
    ids = dict(session.execute(select(Supplier.credit_code, Supplier.id)).all())
    owner = {code: orgs[i % len(orgs)] for i, code in enumerate(codes)}
    session.execute(insert(SupplierRelationship), [
        {"organisation_id": owner[code][1], "supplier_id": ids[code], "status": "active", "since_on": date(2020, 1, 1),
         "version_id": 1, "created_at": now, "updated_at": now} for code in codes])
    session.commit()
    keys = []
    for code in codes:
        for category in CATEGORIES:
            for month in range(1, 13):
                keys.append((owner[code][0], code, category, f"2026-{month:02d}"))
    return keys[:lines]


def _csv(keys, seed: int) -> bytes:
    rng = random.Random(seed)
    out = ["external_id,organisation,credit_code,category,month,amount,currency,order_count"]
    for n, (org, code, category, month) in enumerate(keys):
        amount = f"{rng.randrange(100, 10_000_000) / 100:.2f}"
        currency, orders = rng.choice(CURRENCIES), rng.randrange(1, 9)
        out.append(f"ERP-{n:08d},{org},{code},{category},{month},{amount},{currency},{orders}")
    return ("\n".join(out) + "\n").encode()


def run(lines: int, seed: int, url: str) -> None:
    """Set up, generate, import twice, report lines/s."""
    from sqlalchemy import func, select

    from supplychain import db
    from supplychain.models import SpendLine
    from supplychain.services.purchasing import spend

    session, engine = open_database(url)
    started = time.perf_counter()
    keys = _setup(session, lines, seed)
    data = _csv(keys, seed)
    print(f"set up {len({k[1] for k in keys}):,} suppliers and generated {len(keys):,} lines "
          f"({len(data) / 1e6:.0f} MB CSV) in {time.perf_counter() - started:.1f} s")
    for label in ("first import", "re-import (every line unchanged)"):
        cpu0, t0 = time.process_time(), time.perf_counter()
        result = spend.import_file(session, "bench.csv", data, None)
        session.commit()
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        print(f"{label}: {result.created:,} new, {result.unchanged:,} unchanged in {wall:.1f} s "
              f"({len(keys) / wall:,.0f} lines/s wall, {len(keys) / cpu:,.0f} lines/CPU-s)")
    print(f"ledger: {session.scalar(select(func.count(SpendLine.id))):,} lines")
    db.session.remove()
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", help=DB_HELP)
    args = parser.parse_args(argv)
    url = url_from_argument(args.db)
    run(args.lines, args.seed, url)


if __name__ == "__main__":
    sys.exit(main())
