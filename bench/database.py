"""The database a benchmark runs on: chosen by its --db argument, migrated and bound, named in the output."""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
DB_HELP = "SQLite file or database URL (default: a new file under bench/out/)"


def database_argument(url: str | None, path):
    """(database URL, SQLite file) of a bench that takes both: `--db` may name either, as in every other bench
    (a value with "://" is a URL), `--database-url` is the older spelling of a URL."""
    if path is not None and "://" in str(path):
        return str(path), None
    return url, path


def url_from_argument(value: str | None) -> str:
    """A database URL (postgresql:// spelt as the app spells it, with psycopg 3), a SQLite file path, or a new
    SQLite file under bench/out/."""
    from supplychain import db

    OUT.mkdir(exist_ok=True)
    if value and "://" in value:
        return db.database_url({"DATABASE_URL": value}, str(OUT))
    path = Path(value) if value else Path(tempfile.mkstemp(suffix=".sqlite3", dir=OUT)[1])
    if not value:
        path.unlink()  # migrated from empty below
    return f"sqlite:///{path}"


def open_database(url: str):
    """Print the machine and the database, migrate to head, bind the app's session; returns (session, engine).

    Without the app's statement timeout: loading a bench's data (a status for each of 100,000 suppliers in one
    UPDATE) may outlast it on PostgreSQL. Requests timed through the app use the app's own engine."""
    from supplychain import db, migrate

    print(f"machine: {os.cpu_count()} CPU, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(f"database: {url.split('@')[-1]}")
    migrate.upgrade(url, "head")
    engine = db.make_engine(url, statement_timeout=0)
    db.bind(engine)
    return db.session, engine


def analyze(session) -> None:
    """On PostgreSQL, what autovacuum does on a server that runs it (it is off on the development server):
    statistics for the planner and the visibility map for index-only scans, after a bulk load and before
    anything is timed. Nothing on SQLite, whose figures stay comparable with earlier runs."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from sqlalchemy import text

    session.commit()
    with session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), None when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process of this machine, 0 when it is gone."""
    fields = proc_stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def server_cpu(url: str):
    """A reader of the CPU seconds of every PostgreSQL backend connected to the bench database (same machine,
    from /proc); None for SQLite. Backends that disconnect meanwhile are not counted: the app's pool keeps them."""
    if not url.startswith("postgresql"):
        return lambda: None
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)

    def read() -> float | None:
        with engine.connect() as connection:
            pids = connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                           "AND pid <> pg_backend_pid()")).scalars().all()
        return sum(process_cpu(pid) for pid in pids)

    return read
