"""Blueprints, one per URL prefix."""

from __future__ import annotations

from supplychain.clock import today  # noqa: F401 - moved to supplychain.clock; kept for code written before


def register_blueprints(app) -> None:
    """Register every blueprint on the app."""
    from . import admin, auth, errors, evidence_import, main, relationships, supplier_import, suppliers

    # isort: split
    from . import (  # due-diligence evidence
        attachments,
        blacklist,
        certificates,
        corrective_actions,
        incidents,
        pledges,
        requirements,
        trainings,
    )

    # isort: split
    from . import evaluations, schemes  # scoring, evaluations, certificates, dual sourcing

    # isort: split
    from . import disclosure, reports, verify  # scorecards, exports, disclosure, public verification

    # isort: split
    from . import disclosure_editor  # what a report editor enters beside the disclosure (issue 12)

    # isort: split
    from . import audit_log, list_exports  # list exports (XLSX/CSV) and the audit log

    # isort: split
    from . import change_requests, invitations, portal, saq_admin, saq_review  # supplier portal

    # isort: split
    from . import organisations  # the group's organisations (issue 9)

    # isort: split
    from . import removals  # data safety: removed evidence (issue 14)

    # isort: split
    from . import integration  # API clients and purchase rules (the API itself: supplychain.api)

    # isort: split
    from . import spend  # purchasing data: spend and delivery figures (issue 10)

    # isort: split
    from . import action_requests, bulk, inbox, notifications, picker  # daily work (issue 13)

    # isort: split
    from . import (
        audits,  # audits and inspections (issue 11)
        risk_tiers,  # risk-based due diligence: inherent risk tiers (issue 11)
        screening,  # external screening (issue 11)
    )
    from .risk import campaigns, contractors, portal_campaigns  # risk-based due diligence (issue 11)

    errors.init_app(app)

    evidence = (pledges, certificates, trainings, incidents, corrective_actions, blacklist, attachments)
    menu = []
    scoring = (evaluations, schemes)
    for module in (main, auth, suppliers, relationships, supplier_import, evidence_import, *evidence, *scoring, admin,
                   requirements):
        app.register_blueprint(module.bp)
        menu.extend(getattr(module, "MENU", ()))
    for module in (reports, disclosure, disclosure_editor, spend, verify):
        app.register_blueprint(module.bp)
        menu.extend(getattr(module, "MENU", ()))
    for module in (list_exports, audit_log):
        app.register_blueprint(module.bp)
        menu.extend(getattr(module, "MENU", ()))
    for module in (portal, invitations, saq_review, change_requests, saq_admin, removals, integration):
        app.register_blueprint(module.bp)
        menu.extend(getattr(module, "MENU", ()))
    app.register_blueprint(organisations.bp)
    menu.extend(organisations.MENU)
    for module in (picker, inbox, notifications, bulk, action_requests, screening):
        app.register_blueprint(module.bp)
        menu.extend(getattr(module, "MENU", ()))
    for module in (contractors, campaigns, portal_campaigns):
        app.register_blueprint(module.bp)
        menu.extend(getattr(module, "MENU", ()))
    app.register_blueprint(risk_tiers.bp)
    menu.extend(risk_tiers.MENU)
    app.register_blueprint(audits.bp)
    menu.extend(audits.MENU)
    # Each blueprint declares its navbar entries as (endpoint, label, roles allowed).
    app.jinja_env.globals["staff_menu"] = lambda: menu

    from supplychain import menu as menu_groups

    app.jinja_env.globals["grouped_menu"] = lambda role: menu_groups.for_role(menu, role)
