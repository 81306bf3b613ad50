"""The API call log: one line per call, written in the call's own transaction when the call writes anything.

A call that changes data (a purchase check, a batch) commits its changes and its log line together,
so it costs one commit; a read-only call commits only its log line, after the answer is ready. On
PostgreSQL that read's commit does not wait for the disk flush (``synchronous_commit`` off for that
one transaction, setting ``API_READ_LOG_ASYNC_COMMIT``): a flush costs 5-20 ms on a busy disk, the
whole budget of a look-up, and a database crash can lose only the last moments of read-call log
lines, never a check, a batch or any other change (those commit synchronously as before).
"""

from __future__ import annotations

import time

from flask import current_app, g, request
from sqlalchemy import text

from supplychain import db
from supplychain.services.integration import api_clients


def start() -> None:
    """Note when the call began (for its duration in the log)."""
    g.api_started = time.perf_counter()


def _add(status: int) -> None:
    client = g.get("api_client")
    elapsed_ms = int((time.perf_counter() - g.get("api_started", time.perf_counter())) * 1000)
    api_clients.record_call(db.session, getattr(client, "id", None), request.method, request.path, status,
                            elapsed_ms)


def commit(status: int) -> None:
    """Commit the call's changes together with its log line (the view's one commit)."""
    _add(status)
    db.session.commit()
    g.api_call_logged = True


def finish(status: int) -> None:
    """Log a call its view did not log (reads, errors); a failed log line never breaks the answer."""
    if g.get("api_call_logged"):
        return
    try:
        if current_app.config.get("API_READ_LOG_ASYNC_COMMIT", True) and \
                db.session.connection().dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        _add(status)
        db.session.commit()
    except Exception:  # noqa: BLE001 - a failed log line must not turn an answer into a 500
        db.session.rollback()
