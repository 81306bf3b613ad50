"""CPU per supplier of the bulk supplier actions (issue 13, bulk work): which ones need a background job?

    .venv/bin/python -m bench.bulk_suppliers_bench                       # SQLite, 500 suppliers (MAX_SUPPLIERS)
    .venv/bin/python -m bench.bulk_suppliers_bench --database-url postgresql://postgres@127.0.0.1:5432/bench_bulk_sup

Its own data: N `bench/datagen.py` suppliers imported as `flask suppliers import` does (each with one contact
e-mail), all qualified, and one training session held yesterday. A buyer logged in through the real form
(CSRF on) opens `/bulk/suppliers`, ticks N suppliers and posts, one after the other, each bulk action of that
page: a status change with one reason, portal invitations (no SMTP: the links are shown), reminders, training
attendance. Printed per request: wall and CPU seconds of this process (the app runs in it), PostgreSQL backend
CPU, the CPU per supplier, and what the request did.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.bulk_approve_bench import OUT, SERVER_CPU, TODAY, _timed, qualified_registry
from bench.database import server_cpu

ACTIONS = (
    ("status", {"status": "conditional", "reason": "年度复核：有条件合格"}),
    ("invite", {}),
    ("remind", {"subject": "请更新廉洁承诺书"}),
    ("attendance", {"head_count": "2"}),
)


def build(url: str, count: int) -> tuple[str, int]:
    """Migrate, import N suppliers (qualified), a buyer and one training session; returns password, session id."""
    from supplychain.services.evidence import training

    session, password, root, buyer = qualified_registry(url, count)
    held = training.save_session(session, training.SessionData(
        title="廉洁合规培训", topic="anti_corruption", held_on=TODAY - timedelta(days=1), hours=2.0, organiser="集团",
        organisation_id=root), buyer, TODAY)
    session.commit()
    session_id = held.id
    session.remove()
    return password, session_id


def run(url: str, count: int) -> None:
    """Build the data, then post every bulk supplier action for the N ticked suppliers."""
    from app import create_app
    from bench.import_bench import _login

    print(f"database: {url.split('@')[-1]}, {count:,} suppliers")
    password, session_id = build(url, count)
    app = create_app(config={"DATABASE_URL": url}, env="development")
    client = app.test_client()
    SERVER_CPU[0] = server_cpu(url)
    _login(client, "buyer@example.com", password)
    page, _ = _timed("GET /bulk/suppliers?status=qualified",
                     lambda: client.get("/bulk/suppliers", query_string={"status": "qualified"}))
    ids = re.findall(r'name="ids"[^>]*value="(\d+)"', page.text)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    print(f"ticked: {len(ids):,} suppliers")
    for action, fields in ACTIONS:
        data = {"csrf_token": token, "ids": ids, **fields}
        if action == "attendance":
            data["session_id"] = str(session_id)
        cpu0 = time.process_time()
        response, _ = _timed(f"POST /bulk/suppliers/{action} ({len(ids):,} ids)",
                             lambda a=action, d=data: client.post(f"/bulk/suppliers/{a}", data=d,
                                                                  query_string={"status": "qualified"}))
        cpu = time.process_time() - cpu0
        done = re.search(r'data-done="(\d+)"', response.text)
        print(f"    {cpu / max(len(ids), 1) * 1000:.1f} ms CPU per supplier; done: "
              f"{done.group(1) if done else '?'}")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=500, help="suppliers ticked (the page shows at most 500)")
    parser.add_argument("--db", "--database-url", dest="database_url", default=None,
                        help="an EMPTY database; default: a temporary SQLite file")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("INSTANCE_PATH", str(OUT / "instance"))
    if args.database_url:
        run(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1), args.suppliers)
        return
    with tempfile.TemporaryDirectory(dir=OUT, prefix="bulk-suppliers-bench-") as folder:
        run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.suppliers)


if __name__ == "__main__":
    main()
