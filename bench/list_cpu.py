"""CPU per supplier list request: this process (the app) and the PostgreSQL backend, statements per request.

On a shared machine the wall clock counts every other process; the CPU seconds of the request's own work do
not (issues 9 and 14). Runs against a database the group bench built (`bench.group_bench --database-url ...`):

    .venv/bin/python -m bench.list_cpu --database-url postgresql://postgres@127.0.0.1:5432/bench_group --user sub \\
        --count-every-request        # the subsidiary buyer: a search and two filters, counts on every request
    .venv/bin/python -m bench.list_cpu --database-url postgresql://postgres@127.0.0.1:5432/bench_group --user root
                                     # the load test's request: the root's buyer, pages 1-20, no filter

Run it with PGOPTIONS="-c max_parallel_workers_per_gather=0" to count parallel workers' CPU in the backend.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event, select

from bench.database import process_cpu

PASSWORD = "bench-List-cpu-1!"
EMAILS = {"root": "load-test@example.com", "sub": "sub-buyer@example.com"}


def _backends_cpu(url: str) -> float:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as connection:
        pids = [row[0] for row in connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]
    return sum(process_cpu(pid) for pid in pids)


def run(url: str, user: str, requests: int, count_every_request: bool) -> None:
    """Log in through the form, warm up, then time `requests` list requests."""
    from app import create_app
    from bench.import_bench import REGIONS, SEARCH_TERMS, STATUSES, _login
    from supplychain import db, scope
    from supplychain.models import User
    from supplychain.services.core import users

    config = {"DATABASE_URL": url}
    if count_every_request:
        config["LIST_COUNTS_SECONDS"] = 0
    app = create_app(config=config, env="development")
    with app.app_context():
        session = db.session
        account = session.scalar(select(User).where(User.email == EMAILS[user]))
        if account is None:  # the load test's account, at the root
            users.create_user(session, users.UserData(email=EMAILS[user], role="procurement", name="bench",
                                                      organisation_id=scope.root(session).id), PASSWORD, None)
        else:
            account.password_hash = users.hash_password(PASSWORD)
        session.commit()
        db.session.remove()
    statements = [0]
    event.listen(app.extensions["sqlalchemy_engine"], "before_cursor_execute",
                 lambda *_args: statements.__setitem__(0, statements[0] + 1))
    client = app.test_client()
    _login(client, EMAILS[user], PASSWORD)
    rng = random.Random(1)
    if user == "root":
        queries = [{"page": rng.randint(1, 20)} for _ in range(requests)]
    else:
        queries = [{"q": rng.choice(SEARCH_TERMS), "region": rng.choice(REGIONS), "status": rng.choice(STATUSES)}
                   for _ in range(requests)]
    for query in queries[:10]:
        client.get("/suppliers/", query_string=query)
    postgres = url.startswith("postgresql")
    statements[0] = 0
    server_before = _backends_cpu(url) if postgres else 0.0
    cpu = []
    for query in queries:
        started = time.process_time()
        if client.get("/suppliers/", query_string=query).status_code != 200:
            raise SystemExit("the list page did not answer 200")
        cpu.append((time.process_time() - started) * 1000)
    server = (_backends_cpu(url) - server_before) * 1000 / requests if postgres else 0.0
    cpu.sort()
    print(f"{user} list page, {requests} requests: CPU of this process median {statistics.median(cpu):.1f} ms, "
          f"p95 {cpu[round(0.95 * len(cpu)) - 1]:.1f} ms; database server CPU {server:.1f} ms per request; "
          f"{statements[0] / requests:.1f} statements per request; load average {os.getloadavg()[0]:.1f}")


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", "--database-url", dest="database_url", required=True,
                        help="a database the group bench built")
    parser.add_argument("--user", choices=sorted(EMAILS), default="sub")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--count-every-request", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("INSTANCE_PATH", str(Path(__file__).resolve().parent / "out" / "instance"))
    url = args.database_url
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    elif "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    run(url, args.user, args.requests, args.count_every_request)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
