"""The RQ worker entry point: `rq worker --worker-class supplychain.worker.AppWorker supplychain`.

It creates the Flask app from the environment once, hands it to the jobs (`jobs.use_app`) and loads
the CJK font, so the app, the font and the database connections stay warm from one job to the next.
Nothing else imports this module, which is why it may import the app factory.
"""

from __future__ import annotations

import logging

from rq.worker import SimpleWorker

from supplychain import jobs

log = logging.getLogger(__name__)


class AppWorker(SimpleWorker):
    """An RQ worker that creates the Flask app and loads the CJK font once, then runs every job in its
    own process (no work horse forked per job). Run several of them for parallelism."""

    def work(self, *args, **kwargs):
        """Create the app, hand it to the jobs, load the font, then work as RQ does."""
        from app import create_app

        app = create_app()
        jobs.use_app(app)
        try:
            from reports.fonts import register_cjk_font

            register_cjk_font(app.config.get("CJK_FONT_PATH") or None)
        except Exception:  # noqa: BLE001 - a missing font shows up in the jobs, not here
            log.exception("could not load the CJK font")
        return super().work(*args, **kwargs)
