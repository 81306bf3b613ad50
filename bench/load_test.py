"""Load test: gunicorn on 127.0.0.1, N connections, the supplier list, a supplier page, the dashboard and login.

    .venv/bin/python -m bench.load_test --suppliers 100000 --db postgresql://postgres@127.0.0.1/supplychain_bench \\
        --connections 8 --seconds 60 --workers 4 --kill-worker     # the reference run (issue 14)
    .venv/bin/python -m bench.load_test --suppliers 2000 --seconds 5  # a quick one on SQLite

Figures, not pass/fail: requests/s, p50/p95/p99 and errors per scenario. It builds its own data
(bench/datagen.py, imported like `flask suppliers import`) in a fresh SQLite file under bench/out/
or in the PostgreSQL database given with --db (loaded only when it has no supplier yet), starts
gunicorn bound to 127.0.0.1 only, and always stops it. Every scenario runs --seconds, so a run is
bounded: about 4 x --seconds plus the set-up. With --kill-worker one gunicorn worker is sent
SIGTERM halfway through each scenario (gunicorn replaces it; in-flight requests must still finish);
--kill-signal KILL shows what an abrupt crash costs instead.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests

from bench.database import process_cpu

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Result:
    """Latencies (ms) and failures of one scenario."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float | None = None  # gunicorn workers + PostgreSQL backends of the database, during the scenario
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, elapsed_ms: float, error: str | None) -> None:
        """Record one request."""
        with self.lock:
            self.latencies.append(elapsed_ms)
            if error:
                self.errors.append(error)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def prepare(url: str, count: int, seed: int) -> tuple[str, list[int]]:
    """Migrate, load the suppliers once, create the benchmark account; its password and some supplier ids."""
    from sqlalchemy import func, select

    from supplychain import db, migrate, scope
    from supplychain.models import Supplier, User
    from supplychain.services.core import users
    from supplychain.services.imports import importer
    from supplychain.services.registry import categories

    from . import datagen

    url = db.database_url({"DATABASE_URL": url}, str(OUT))  # postgresql:// → the psycopg 3 driver
    migrate.upgrade(url, "head")
    db.bind(db.make_engine(url))
    session = db.session
    categories.ensure_defaults(session)
    if not session.scalar(select(func.count(Supplier.id))):
        started = time.perf_counter()
        data = datagen.to_csv(datagen.supplier_rows(count, seed=seed))
        rows, problems = importer.read_rows("bench.csv", data)
        plan = importer.check_rows(session, rows, date.today())
        if problems or not plan.ok:
            raise SystemExit(f"the generated file has errors: {(problems or plan.errors)[:3]}")
        importer.apply_plan(session, plan, None, source="load_test")
        session.commit()
        print(f"loaded {count:,} suppliers in {time.perf_counter() - started:.1f} s")
    password = secrets.token_urlsafe(12)
    email = "load-test@example.com"
    existing = session.scalar(select(User).where(User.email == email))
    if existing is None:
        users.create_user(session, users.UserData(email=email, role="procurement", name="load test",
                                                  organisation_id=scope.root(session).id), password, None)
    else:
        existing.password_hash = users.hash_password(password)
    session.commit()
    ids = list(session.scalars(select(Supplier.id).order_by(func.random()).limit(500)))
    total = session.scalar(select(func.count(Supplier.id)))
    print(f"registry: {total:,} suppliers")
    db.session.remove()
    return password, ids


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, workers: int, start_seconds: float = 60) -> tuple[subprocess.Popen, str]:
    """gunicorn bound to 127.0.0.1 on a free port, ready to answer."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=url, APP_ENV="development", INSTANCE_PATH=str(OUT / "load-instance"),
               LOGIN_RATE_LIMIT="1000000 per minute")
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--graceful-timeout", "30",
         "--log-level", "warning", "app:create_app()"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + start_seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/auth/login", timeout=2).status_code == 200:
                return process, base
        except requests.RequestException:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not start within {start_seconds:.0f} s (see --start-seconds)")


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: children of the master process."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def serving_cpu(master: int, url: str) -> float:
    """CPU seconds used so far by the gunicorn workers and, on a local PostgreSQL, the database's backends.

    The machine is shared, so the wall clock of a request also counts other processes; this is what the
    requests themselves cost (a worker replaced mid-run loses its share: use it without --kill-worker).
    """
    total = sum(process_cpu(pid) for pid in worker_pids(master))
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as connection:
            pids = [row[0] for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]
        total += sum(process_cpu(pid) for pid in pids)
    return total


def logged_in(base: str, password: str) -> requests.Session:
    """A browser-like session logged in through the real form (CSRF on)."""
    client = requests.Session()
    token = _TOKEN.search(client.get(f"{base}/auth/login").text).group(1)
    answer = client.post(f"{base}/auth/login", data={"email": "load-test@example.com", "password": password,
                                                     "csrf_token": token}, allow_redirects=False)
    if answer.status_code != 302:
        raise SystemExit(f"login failed: {answer.status_code}")
    return client


def scenario(name: str, base: str, password: str, ids: list[int], connections: int, seconds: float,
             kill: signal.Signals | None, master: int, url: str = "") -> Result:
    """`connections` threads issuing one kind of request back to back for `seconds`."""
    result = Result(name)
    clients = [logged_in(base, password) for _ in range(connections)]  # before the clock starts
    stop_at = time.monotonic() + seconds

    def request(client: requests.Session, rng: random.Random) -> requests.Response:
        if name == "list":
            return client.get(f"{base}/suppliers/", params={"page": rng.randint(1, 20)}, timeout=30)
        if name == "supplier":
            return client.get(f"{base}/suppliers/{rng.choice(ids)}", timeout=30)
        if name == "dashboard":
            return client.get(f"{base}/", timeout=30)
        fresh = requests.Session()
        token = _TOKEN.search(fresh.get(f"{base}/auth/login", timeout=30).text).group(1)
        return fresh.post(f"{base}/auth/login", data={"email": "load-test@example.com", "password": password,
                                                      "csrf_token": token}, allow_redirects=False, timeout=30)

    def loop(client: requests.Session, index: int) -> None:
        rng = random.Random(index)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                answer = request(client, rng)
                error = None if answer.status_code in (200, 302) else f"HTTP {answer.status_code}"
            except requests.RequestException as exc:
                error = type(exc).__name__
            result.add((time.perf_counter() - started) * 1000, error)

    threads = [threading.Thread(target=loop, args=(c, i)) for i, c in enumerate(clients)]
    cpu_before = serving_cpu(master, url)
    began = time.monotonic()
    for thread in threads:
        thread.start()
    if kill is not None:
        time.sleep(seconds / 2)
        victims = worker_pids(master)
        if victims:
            os.kill(victims[0], kill)
            print(f"  {name}: sent {kill.name} to worker {victims[0]} at {seconds / 2:.0f} s")
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    result.cpu_seconds = serving_cpu(master, url) - cpu_before
    return result


def report(results: list[Result], connections: int) -> None:
    """One line per scenario: requests, requests/s, p50/p95/p99 and errors."""
    print(f"\n{'scenario':<10} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
          f"   ({connections} connections)")
    for r in results:
        print(f"{r.name:<10} {len(r.latencies):>9,} {len(r.latencies) / r.seconds:>8.1f} "
              f"{percentile(r.latencies, 0.50):>8.1f} {percentile(r.latencies, 0.95):>8.1f} "
              f"{percentile(r.latencies, 0.99):>8.1f} {len(r.errors):>7}"
              + (f"   CPU {r.cpu_seconds * 1000 / len(r.latencies):.1f} ms/request (workers + database)"
                 if r.cpu_seconds is not None and r.latencies else ""))
        if r.errors:
            kinds = {e: r.errors.count(e) for e in set(r.errors)}
            print(f"           errors: {kinds}")


def main(argv: list[str] | None = None) -> None:
    """Parse the options, prepare the data, run every scenario against gunicorn, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--db", help="a PostgreSQL URL (default: a fresh SQLite file under bench/out/)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="per scenario (the reference run: 60)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--scenarios", default="list,supplier,dashboard,login")
    parser.add_argument("--kill-worker", action="store_true", help="stop one worker halfway through each scenario")
    parser.add_argument("--kill-signal", choices=("TERM", "KILL"), default="TERM")
    parser.add_argument("--start-seconds", type=float, default=180,
                        help="how long gunicorn may take to answer (its workers import the app: over 60 s at load 20+)")
    args = parser.parse_args(argv)

    OUT.mkdir(exist_ok=True)
    url = args.db
    if not url:
        path = OUT / "load.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    password, ids = prepare(url, args.suppliers, args.seed)
    process, base = start_gunicorn(url, args.workers, args.start_seconds)
    kill = getattr(signal, f"SIG{args.kill_signal}") if args.kill_worker else None
    try:
        results = [scenario(name, base, password, ids, args.connections, args.seconds, kill, process.pid, url)
                   for name in args.scenarios.split(",")]
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
    report(results, args.connections)


if __name__ == "__main__":
    main()
