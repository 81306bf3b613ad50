"""Questionnaire campaign at scale (issue 11): a campaign to 10,000 HIGH-tier suppliers, created through the
web form and its invitations queued as a background job with progress (aim: done within 60 s).

On SQLite (default) or PostgreSQL (--database-url, an EMPTY database):

    .venv/bin/python -m bench.campaign_bench                                  # SQLite, 10,000 recipients
    .venv/bin/python -m bench.campaign_bench --database-url postgresql://postgres@127.0.0.1:5432/bench_campaign

Its own data: `bench/datagen.py` suppliers (one contact with an e-mail address each) imported as
`flask suppliers import` does, a computed risk tier for each (`--high` of them HIGH, the rest medium or low),
a portal account for one supplier in five, the shipped questionnaire published.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2026, 11, 27)


def _tiers_and_accounts(session, high: int, accounts_every: int) -> tuple[int, int]:
    """`high` suppliers HIGH (the rest medium or low) and a portal account for one supplier in `accounts_every`."""
    from supplychain.models import Supplier, SupplierRisk, User

    rng = random.Random(11)
    ids = list(session.scalars(select(Supplier.id).order_by(Supplier.id)))
    chosen = set(rng.sample(ids, min(high, len(ids))))
    risks = [{"supplier_id": sid, "tier": "high" if sid in chosen else rng.choice(("medium", "low")),
              "score": 75.0 if sid in chosen else 30.0, "factors": []} for sid in ids]
    users = [{"email": f"portal{sid}@bench.example.com", "name": f"portal {sid}", "password_hash": "!",
              "role": "supplier", "supplier_id": sid, "active": True, "session_version": 1}
             for sid in ids[::accounts_every]]
    for start in range(0, len(risks), 20_000):
        session.execute(insert(SupplierRisk), risks[start:start + 20_000])
    for start in range(0, len(users), 20_000):
        session.execute(insert(User), users[start:start + 20_000])
    session.commit()
    return len(chosen), len(users)


def run(url: str, count: int, high: int, drain: bool = False) -> None:
    """Build the data, then create the campaign through the form and wait for its invitation job."""
    from app import create_app
    from bench import datagen
    from bench.import_bench import _login
    from supplychain import clock, db, jobs, migrate, scope
    from supplychain.models import BackgroundJob, Campaign, CampaignRecipient, Notification
    from supplychain.services.core import users
    from supplychain.services.daily_work import notifications
    from supplychain.services.evidence import saq
    from supplychain.services.registry import categories

    print(f"database: {url.split('@')[-1]}")
    migrate.upgrade(url, "head")
    db.bind(db.make_engine(url))
    session = db.session
    categories.ensure_defaults(session)
    questionnaire = saq.load_default(session, clock.now())
    password = secrets.token_urlsafe(12)
    users.create_user(session, users.UserData(email="buyer@example.com", role="procurement", name="bench",
                                              organisation_id=scope.root(session).id), password, actor=None)
    session.commit()
    t0 = time.perf_counter()
    datagen.import_suppliers(session, count, TODAY)
    session.commit()
    tiered, accounts = _tiers_and_accounts(session, high, 5)
    if url.startswith("postgresql"):
        from sqlalchemy import text

        session.execute(text("ANALYZE"))
        session.commit()
    questionnaire_id = questionnaire.id
    print(f"data: {count:,} suppliers, {tiered:,} of them HIGH tier, {accounts:,} portal accounts "
          f"in {time.perf_counter() - t0:.1f} s")
    session.remove()

    app = create_app(config={"DATABASE_URL": url}, env="development")
    client = app.test_client()
    _login(client, "buyer@example.com", password)
    page = client.get("/campaigns/new")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "title": "2026 高风险供应商 ESG 问卷", "questionnaire_id": questionnaire_id,
            "due_on": (date.today() + timedelta(days=30)).isoformat(), "tier": "high", "category_id": "",
            "buyer_id": "", "region": "", "remind_before_days": "7", "remind_after_days": "7",
            "overdue_consequence": "corrective_action"}
    t0 = time.perf_counter()
    preview = client.post("/campaigns/new", data={**form, "preview": "1"})
    counted = re.search(r'data-preview-count="(\d+)"', preview.text)
    print(f"preview (count the recipients): {int(counted.group(1)):,} suppliers in "
          f"{time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    response = client.post("/campaigns/new", data={**form, "submit": "1"})
    created = time.perf_counter() - t0
    if response.status_code != 302:
        raise SystemExit(f"creating the campaign answered {response.status_code}")
    session = db.session
    campaign = session.scalar(select(Campaign).order_by(Campaign.id.desc()))
    job_id = campaign.job_id
    print(f"POST /campaigns/new (check, save {session.scalar(select(func.count(CampaignRecipient.id))):,} "
          f"recipients, queue the job): {created:.2f} s")
    session.remove()
    progress = []
    while not jobs.wait(job_id, 5):
        with app.app_context():
            job = db.session.get(BackgroundJob, job_id)
            progress.append(f"{time.perf_counter() - t0:.0f} s: {job.progress_done:,}/{job.progress_total:,}")
            db.session.remove()
    total = time.perf_counter() - t0
    with app.app_context():
        session = db.session
        job = session.get(BackgroundJob, job_id)
        notices = session.scalar(select(func.count(Notification.id)))
        print("progress seen:", "; ".join(progress) or "(finished within the first 5 s)")
        ran = (job.finished_at - job.started_at).total_seconds()
        print(f"invitation job {job.status}: {job.progress_done:,}/{job.progress_total:,} suppliers invited, "
              f"{notices:,} notices written (e-mail queue), job {ran:.1f} s; "
              f"created and invited in {total:.1f} s (aim ≤ 60 s)")
        if drain:
            t1 = time.perf_counter()
            sent = notifications.send_email(session, app.config, lambda message: None, clock.now(), "email")
            session.rollback()
            print(f"e-mail queue drained with a no-op sender (`flask notifications send`, not part of the aim): "
                  f"{sent:,} messages in {time.perf_counter() - t1:.1f} s")
        page_t0 = time.perf_counter()
        page = client.get(f"/campaigns/{campaign.id}")
        print(f"campaign page (rates, {high:,} non-responders, the first 500 listed): "
              f"{(time.perf_counter() - page_t0) * 1000:.0f} ms, status {page.status_code}")
        session.remove()


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=12_000)
    parser.add_argument("--high", type=int, default=10_000, help="HIGH-tier suppliers: the campaign's recipients")
    parser.add_argument("--drain", action="store_true", help="also time mailing the queue with a no-op sender")
    parser.add_argument("--db", "--database-url", dest="database_url", default=None,
                        help="an EMPTY PostgreSQL database (default: a temporary SQLite file under bench/out/)")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("INSTANCE_PATH", str(OUT / "instance"))
    if args.database_url:
        url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        run(url, args.suppliers, args.high, args.drain)
        return
    with tempfile.TemporaryDirectory(dir=OUT, prefix="campaign-bench-") as folder:
        run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.suppliers, args.high, args.drain)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
