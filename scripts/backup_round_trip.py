#!/usr/bin/env python3
"""The backup round trip of `.ci/run` (issue 14): the real `flask backup create` and `flask backup restore`
commands, from a database with the demo group and attachment files into a new empty database and folder;
then every table's row count and every attachment's SHA-256 are compared between source and copy.

    .venv/bin/python scripts/backup_round_trip.py sqlite
    .venv/bin/python scripts/backup_round_trip.py postgresql://postgres@127.0.0.1:5432/NAME

With a PostgreSQL URL it creates (or empties) the databases NAME_backup_source and NAME_backup_copy on that
server. Prints the figures it compared and exits 1 on any difference.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from supplychain.services.core import backup  # noqa: E402

SCANS = {"证书扫描.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 64,
         "site-visit.png": b"\x89PNG\r\n\x1a\n" + b"\x07" * 2048}


def _fresh_postgresql(url: str, suffix: str) -> str:
    """An empty database next to the one of `url`; its URL."""
    base, _, name = url.rpartition("/")
    target = f"{name}_backup_{suffix}"
    engine = create_engine(f"{base}/postgres".replace("postgresql://", "postgresql+psycopg://", 1),
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target}"'))
    engine.dispose()
    return f"{base}/{target}"


def _flask(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"FAIL: flask {' '.join(args)}\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip()


def _add_scans(env: dict) -> None:
    """Store the scans on the first supplier through the attachment service, as an upload would."""
    code = f"""
from app import create_app
from sqlalchemy import select
from supplychain import db
from supplychain.models import Supplier
from supplychain.services.core import attachments
app = create_app()
with app.app_context():
    store = attachments.Store.from_settings(app.config, app.instance_path)
    supplier_id = db.session.scalar(select(Supplier.id).order_by(Supplier.id).limit(1))
    for name, data in {SCANS!r}.items():
        clean, refused = attachments.check_upload(attachments.Upload(name, data), store.max_bytes)
        assert not refused, refused
        attachments.store(db.session, clean, store, supplier_id, None)
    db.session.commit()
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"FAIL: storing the scans\n{done.stderr}")


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): backup.sha256_of(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        return backup.table_counts(engine)
    finally:
        engine.dispose()


def main(target: str) -> int:
    work = Path(tempfile.mkdtemp(prefix="backup-round-trip-"))
    try:
        return _round_trip(target, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _round_trip(target: str, work: Path) -> int:
    if target == "sqlite":
        source_url, copy_url = f"sqlite:///{work / 'source.sqlite3'}", f"sqlite:///{work / 'copy.sqlite3'}"
    else:
        source_url, copy_url = _fresh_postgresql(target, "source"), _fresh_postgresql(target, "copy")
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "UPLOAD_FOLDER")}
    base |= {"FLASK_APP": "app", "APP_ENV": "development", "ATTACHMENT_STORAGE": "disk"}
    source = base | {"DATABASE_URL": source_url, "UPLOAD_FOLDER": str(work / "source-uploads")}
    copy = base | {"DATABASE_URL": copy_url, "UPLOAD_FOLDER": str(work / "copy-uploads")}
    _flask(source, "db", "upgrade")
    _flask(source, "demo-data")
    _add_scans(source)
    archive = work / "nightly.tar.gz"
    print(_flask(source, "backup", "create", str(archive)))
    print(_flask(copy, "backup", "restore", str(archive), "--yes"))
    before, after = _counts(source_url), _counts(copy_url)
    files_before, files_after = _hashes(work / "source-uploads"), _hashes(work / "copy-uploads")
    rows = sum(count for table, count in before.items() if table != "alembic_version")
    if before != after or files_before != files_after or not files_before:
        differing = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
        print(f"FAIL: the copy differs: tables {differing}, files {sorted(set(files_before) ^ set(files_after))}")
        return 1
    print(f"backup round trip ({backup.kind_of(source_url)}): {len(before)} tables, {rows} rows and "
          f"{len(files_before)} attachment files identical (counts and SHA-256)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1]))
