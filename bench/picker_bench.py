"""Picker and inbox benchmark (issue 13): p95 of the supplier picker and the inbox at N suppliers.

    .venv/bin/python -m bench.picker_bench --suppliers 100000         # the reference run
    .venv/bin/python -m bench.picker_bench --suppliers 10000 --requests 100

Generates N suppliers with bench/datagen.py and imports them as `flask suppliers import` does (so
every search_text carries pinyin and initials), spreads statuses, adds evidence that waits in an
inbox (expiring certificates, pledges due, overdue corrective actions), then times through the
Flask test client, logged in as procurement: GET /suppliers/lookup?q=… for Chinese parts of names,
full pinyin, initials, two words, a credit code and a word that matches nothing (the worst case: the
whole index is read), and the inbox service plus the home page. Figures, not pass/fail.

The database is a SQLite file under bench/out/ (picker-N.sqlite3), or --db: another file or a PostgreSQL
URL, which must name an empty database. One that an earlier run filled is reused (the bench's buyer gets a
new password). On PostgreSQL the CPU of the database's backends per request is printed too:

    .venv/bin/python -m bench.picker_bench --suppliers 10000 --db postgresql://postgres@127.0.0.1:5432/EMPTY_DB
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import time
from datetime import date, timedelta

from sqlalchemy import case, exists, func, select, update

from .database import OUT, analyze, open_database, server_cpu, url_from_argument
from .import_bench import STATUS_BY_BUCKET, TODAY, _login, _percentile

BUYER = "bench-buyer@example.com"

QUERIES = {
    "Chinese part of a name": ("长江", "精密", "华宇", "物流", "鑫源"),
    "full pinyin": ("changjiang", "jingmi", "huayu", "wuliu", "xinyuan"),
    "initials": ("cqcj", "jm", "hy", "wl", "xy"),
    "two words": ("重庆 精密", "cq jingmi", "长江 物流", "sichuan 机械", "华宇 zhuzao"),
    "no match (whole index read)": ("zzzzqqq", "不存在的词", "qxqxqx", "无此名称", "xqzxqz"),
}


def prepare(url: str, count: int, seed: int) -> str:
    """Migrate; unless an earlier run filled the database, import N generated suppliers, spread statuses and add
    evidence that waits in the inbox. Returns the buyer's new password."""
    from supplychain import db, scope
    from supplychain.models import Certification, CorrectiveAction, IntegrityPledge, Supplier, User
    from supplychain.services.core import users
    from supplychain.services.registry import categories

    from . import datagen

    session, engine = open_database(url)
    password = secrets.token_urlsafe(12)
    buyer = session.scalar(select(User).where(User.email == BUYER))
    if buyer is not None:  # kept from an earlier run
        buyer.password_hash = users.hash_password(password)
        session.commit()
        db.session.remove()
        engine.dispose()
        return password
    if session.scalar(select(exists().where(Supplier.id.is_not(None)))):
        raise SystemExit("the database holds suppliers but not the bench's buyer: give an empty one")
    categories.ensure_defaults(session)
    session.commit()
    t0 = time.perf_counter()
    datagen.import_suppliers(session, count, TODAY, seed)
    session.commit()
    print(f"imported {count:,} suppliers (with pinyin search keys) in {time.perf_counter() - t0:.1f} s")
    bucket = Supplier.id % len(STATUS_BY_BUCKET)
    session.execute(update(Supplier).values(status=case(
        *((bucket == n, status) for n, status in enumerate(STATUS_BY_BUCKET)))))
    ids = list(session.scalars(select(Supplier.id).order_by(Supplier.id)))
    rng = random.Random(seed)
    today = date.today()
    for supplier_id in rng.sample(ids, min(len(ids), max(1, count // 20))):
        session.add(Certification(supplier_id=supplier_id, cert_type="iso9001", number=f"B{supplier_id}",
                                  issuer="CQC", issued_on=today - timedelta(days=1000),
                                  expires_on=today + timedelta(days=rng.randint(-30, 200))))
        session.add(IntegrityPledge(supplier_id=supplier_id, kind="integrity", signatory_name="王伟",
                                    signed_on=today - timedelta(days=700),
                                    valid_until=today + timedelta(days=rng.randint(-30, 400)), method="paper"))
        session.add(CorrectiveAction(supplier_id=supplier_id, action="整改", owner="王伟",
                                     due_on=today + timedelta(days=rng.randint(-60, 60)), status="open"))
    # A buyer of the group's root (the migration's organisation), who sees every supplier; created last, so
    # that a database holding it is complete.
    users.create_user(session, users.UserData(email=BUYER, role="procurement", name="bench",
                                              organisation_id=scope.root(session).id), password, actor=None)
    session.commit()
    analyze(session)
    db.session.remove()
    engine.dispose()
    return password


def timed(client, path: str, params: dict, repeat: int, cpu: list[float] | None = None) -> list[float]:
    """Milliseconds of `repeat` GET requests (after two warm-up ones); their CPU milliseconds go to `cpu`.

    The CPU time of this process (the app and SQLite, which runs in it) is what a loaded machine does not
    inflate; the wall clock counts the other processes sharing the cores too.
    """
    for _ in range(2):
        client.get(path, query_string=params)
    timings = []
    for _ in range(repeat):
        t0, cpu0 = time.perf_counter(), time.process_time()
        response = client.get(path, query_string=params)
        timings.append((time.perf_counter() - t0) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - cpu0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return timings


def report(label: str, timings: list[float], extra: str = "", cpu: list[float] | None = None) -> None:
    """One line of figures: wall clock, and CPU when measured."""
    cpu_text = (f"   CPU median {statistics.median(cpu):6.1f} ms p95 {_percentile(cpu, 0.95):6.1f} ms"
                if cpu else "")
    print(f"  {label:<32} median {statistics.median(timings):6.1f} ms   p95 {_percentile(timings, 0.95):6.1f} ms"
          f"   max {max(timings):6.1f} ms{cpu_text}{extra}")


def backends(server, before: float | None, requests: int) -> str:
    """On PostgreSQL, the CPU its backends of the database spent per request since `before` (warm-ups included:
    read from /proc around a whole series, not per request); nothing on SQLite, which runs in this process."""
    if before is None:
        return ""
    return f"   PostgreSQL backends {(server() - before) * 1000 / requests:5.1f} ms CPU/request"


def run(url: str, password: str, requests: int) -> None:
    """Time the picker per kind of query, then the inbox."""
    from app import create_app
    from supplychain import db
    from supplychain.models import Supplier, User
    from supplychain.services.daily_work import inbox

    app = create_app(config={"DATABASE_URL": url}, env="development")
    client = app.test_client()
    _login(client, BUYER, password)
    server = server_cpu(url)  # None on SQLite
    total = db.session.scalar(select(func.count(Supplier.id)))
    code = db.session.scalar(select(Supplier.credit_code).where(Supplier.credit_code.is_not(None)).limit(1))
    print(f"picker GET /suppliers/lookup?q=… at {total:,} suppliers ({requests} requests per kind):")
    every, every_cpu, every_before, made = [], [], server(), 0
    for kind, words in {**QUERIES, "credit code": (code, code.lower())}.items():
        timings, cpu, found, before = [], [], [], server()
        repeat = max(1, requests // len(words))
        for word in words:
            timings += timed(client, "/suppliers/lookup", {"q": word}, repeat, cpu)
            found.append(len(client.get("/suppliers/lookup", query_string={"q": word}).get_json()["results"]))
        every += timings
        every_cpu += cpu
        made += len(words) * (repeat + 3)  # two warm-ups and the count of suggestions besides the timed ones
        report(kind, timings, f"   ({min(found)}–{max(found)} suggestions)"
               + backends(server, before, len(words) * (repeat + 3)), cpu)
    report("all picker requests", every, backends(server, every_before, made), every_cpu)
    cpu, before, repeat = [], server(), max(10, requests // 5)
    list_timings = timed(client, "/suppliers/", {"q": "cq jingmi"}, repeat, cpu)
    report("list page ?q=cq jingmi", list_timings, backends(server, before, repeat + 2), cpu)
    user = db.session.scalar(select(User).where(User.email == BUYER))
    for _ in range(2):  # warm-ups, as for the pages: statements compiled and cached, pages read once
        inbox.for_user(db.session, user, date.today(), 60)
        db.session.rollback()
    service, cpu, before = [], [], server()
    for _ in range(repeat):
        t0, cpu0 = time.perf_counter(), time.process_time()
        box = inbox.for_user(db.session, user, date.today(), 60)
        service.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - cpu0) * 1000)
        db.session.rollback()
    print(f"inbox of a buyer: {box.total:,} items waiting in {len(box.sections)} sections")
    report("inbox service (all queries)", service, backends(server, before, repeat), cpu)
    cpu, before, repeat = [], server(), max(10, requests // 10)
    home = timed(client, "/", {}, repeat, cpu)
    report("home page GET / (inbox+dashboard)", home, backends(server, before, repeat + 2), cpu)
    db.session.remove()


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--requests", type=int, default=200, help="picker requests per kind of query")
    parser.add_argument("--db", default=None,
                        help="SQLite file or database URL, kept and reused once filled "
                        "(default: bench/out/picker-N.sqlite3)")
    args = parser.parse_args(argv)
    os.environ.setdefault("INSTANCE_PATH", str(OUT / "instance"))  # the app's folder, not the real instance
    url = url_from_argument(args.db or str(OUT / f"picker-{args.suppliers}.sqlite3"))
    password = prepare(url, args.suppliers, args.seed)
    run(url, password, args.requests)


if __name__ == "__main__":
    main()
