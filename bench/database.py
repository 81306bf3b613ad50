"""The database a benchmark runs on: chosen by its --db argument, migrated and bound, named in the output."""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
DB_HELP = "SQLite file or database URL (default: a new file under bench/out/)"


def url_from_argument(value: str | None) -> str:
    """A database URL as given, a SQLite file path, or a new SQLite file under bench/out/."""
    OUT.mkdir(exist_ok=True)
    if value and "://" in value:
        return value
    path = Path(value) if value else Path(tempfile.mkstemp(suffix=".sqlite3", dir=OUT)[1])
    if not value:
        path.unlink()  # migrated from empty below
    return f"sqlite:///{path}"


def open_database(url: str):
    """Print the machine and the database, migrate to head, bind the app's session; returns (session, engine)."""
    from supplychain import db, migrate

    print(f"machine: {os.cpu_count()} CPU, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(f"database: {url.split('@')[-1]}")
    migrate.upgrade(url, "head")
    engine = db.make_engine(url)
    db.bind(engine)
    return db.session, engine
