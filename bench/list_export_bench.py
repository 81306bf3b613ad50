"""List export benchmark (issue 13): the supplier list of 100,000 suppliers as XLSX and CSV.

    .venv/bin/python -m bench.list_export_bench                       # 100,000 suppliers
    .venv/bin/python -m bench.list_export_bench --suppliers 20000 --db bench/out/keep.sqlite3

Builds a fresh SQLite database under bench/out/ (or --db; an existing file with suppliers is reused),
imports N generated suppliers (bench/datagen.py, as `flask suppliers import` does), logs in through the
real form and times GET /exports/suppliers.xlsx and .csv (no filter: every supplier) and a filtered
XLSX, through the Flask test client, with the process's peak memory before and after. Figures, not
pass/fail; the aim is an XLSX of 100,000 suppliers within ~15 s in constant memory (openpyxl
write-only mode, rows streamed from the database in batches).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import secrets
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.import_bench import TODAY, _login

OUT = Path(__file__).resolve().parent / "out"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def populate(url: str, count: int, seed: int) -> str:
    """Migrate, create a buyer, import `count` suppliers unless there are already some; returns the password."""
    from supplychain import db, migrate, scope
    from supplychain.models import Supplier, User
    from supplychain.services.core import users
    from supplychain.services.imports import importer
    from supplychain.services.registry import categories

    from . import datagen

    migrate.upgrade(url, "head")
    db.bind(db.make_engine(url))
    session = db.session
    password = secrets.token_urlsafe(12)
    buyer = session.scalar(select(User).where(User.email == "bench-buyer@example.com"))
    if buyer is None:
        categories.ensure_defaults(session)
        # A buyer of the group's root (the migration's organisation), who sees every supplier.
        users.create_user(session, users.UserData(email="bench-buyer@example.com", role="procurement",
                                                  name="bench", organisation_id=scope.root(session).id),
                          password, actor=None)
    else:  # a kept database: a new password for the same account
        buyer.password_hash = users.hash_password(password)
    session.commit()
    existing = session.scalar(select(func.count(Supplier.id))) or 0
    if existing < count:
        t0 = time.perf_counter()
        data = datagen.to_csv(datagen.supplier_rows(count, seed=seed, today=TODAY))
        read, _ = importer.read_rows("bench.csv", data)
        plan = importer.check_rows(session, read, TODAY)
        importer.apply_plan(session, plan, None, source="bench.csv")
        session.commit()
        print(f"imported {count:,} suppliers in {time.perf_counter() - t0:.1f} s")
    session.remove()
    return password


def run(count: int, seed: int, db_path: Path) -> None:
    """Populate, then time the exports."""
    from openpyxl import load_workbook

    from app import create_app

    url = f"sqlite:///{db_path}"
    print(f"machine: {os.cpu_count()} CPU, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    password = populate(url, count, seed)
    app = create_app(config={"DATABASE_URL": url}, env="development")
    client = app.test_client()
    _login(client, "bench-buyer@example.com", password)
    client.get("/exports/suppliers.xlsx?q=nothing-matches")  # warm-up
    before = _peak_mb()
    for label, path in [("XLSX, every supplier", "/exports/suppliers.xlsx"),
                        ("CSV, every supplier", "/exports/suppliers.csv"),
                        ("XLSX, south-west + registered",
                         "/exports/suppliers.xlsx?region=southwest&status=registered")]:
        cpu0, t0 = time.process_time(), time.perf_counter()
        response = client.get(path)
        body = response.get_data()
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        if path.endswith(".csv"):
            rows = body.count(b"\r\n") - 1
        else:
            # A write-only workbook records no dimension: count the rows.
            rows = sum(1 for _ in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows()) - 1
        print(f"{label}: {rows:,} rows, {len(body) / 1e6:.1f} MB in {elapsed:.1f} s "
              f"({rows / elapsed:,.0f} rows/s; CPU {cpu:.1f} s); peak memory {_peak_mb():.0f} MB")
    print(f"peak memory before the exports {before:.0f} MB, after {_peak_mb():.0f} MB")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--db", type=Path, help="SQLite file to use (kept); default: a new one, removed after")
    args = parser.parse_args(argv)
    if args.db:
        run(args.suppliers, args.seed, args.db)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        run(args.suppliers, args.seed, Path(folder) / "list_export.sqlite3")


if __name__ == "__main__":
    main()
