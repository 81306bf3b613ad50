"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from flask import g, request, url_for
from flask_babel.speaklater import LazyString

from supplychain import audit_labels, import_labels, labels
from supplychain.services.disclosure.definitions import figure_ref


def url_with(**changes) -> str:
    """The current URL with some query arguments replaced (for sorting and pagination links)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        args.pop(key, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def plain_lazy_strings(value):
    """Render lazy translations as plain text, so Jinja escapes them.

    Flask-Babel's lazy strings claim to be safe HTML, and a message such as "Unknown category: %(value)s"
    carries user input: without this, that input would reach the page unescaped.
    """
    return str(value) if isinstance(value, LazyString) else value


def _audit_rows(trail) -> list:
    """An audit trail in words, the names it refers to looked up once for the whole trail."""
    from supplychain import db

    return audit_labels.describe(trail, db.session)


def supplier_refs(supplier_ids) -> dict:
    """The suppliers a page's records name (id -> SupplierRef), looked up once per page for the reader's scope:
    a list asks here for all its rows before `supplier_link` names each."""
    from supplychain import db, scope
    from supplychain.services.registry import relationships

    known = g.setdefault("supplier_refs", {}).setdefault(scope.current(db.session), {})
    wanted = [supplier_id for supplier_id in supplier_ids if supplier_id and supplier_id not in known]
    if wanted:
        known.update(relationships.supplier_refs(db.session, wanted))
    return known


def supplier_ref(supplier_id):
    """The SupplierRef of one supplier a record names (None without one)."""
    return supplier_refs([supplier_id]).get(supplier_id) if supplier_id else None


def init_app(app) -> None:
    """Register the helpers on an app."""
    app.jinja_env.finalize = plain_lazy_strings
    app.jinja_env.globals.update(
        status_label=lambda key: labels.STATUS_LABELS.get(key, key),
        status_badge=lambda key: labels.STATUS_BADGES.get(key, "secondary"),
        supplier_type_label=lambda key: labels.SUPPLIER_TYPE_LABELS.get(key, key),
        region_label=labels.region_label, province_label=labels.province_label,
        country_label=labels.country_label, pick=labels.pick, pick_name=labels.pick_name,
        chinese=labels.chinese, category_names=labels.category_names, lang=labels.lang, lang_tag=labels.lang_tag,
        url_with=url_with, figure_ref=figure_ref,
        local_time=audit_labels.local_time, local_date=audit_labels.local_date, audit_action=audit_labels.action_label,
        audit_field=audit_labels.field_label, audit_change=audit_labels.change_text,
        audit_pair=audit_labels.change_pair, grade_label=lambda key: audit_labels.scheme_term(key) or key or "—",
        audit_entity=audit_labels.entity_label, audit_verb=audit_labels.verb_label,
        audit_note=audit_labels.note_text, audit_rows=_audit_rows,
        column_title=import_labels.column_title, field_title=import_labels.field_title,
        supplier_refs=supplier_refs, supplier_ref=supplier_ref,
    )
    from supplychain.services.risk import reasons as risk_reasons

    app.jinja_env.globals.update(  # inherent risk tiers (issue 11)
        risk_level_label=lambda key: risk_reasons.LEVEL_LABELS.get(key, key),
        risk_tier_label=lambda key: risk_reasons.TIER_LABELS.get(key, key or "—"),
        risk_factor_label=lambda key: risk_reasons.FACTOR_LABELS.get(key, key),
        risk_reason=lambda entry: risk_reasons.reason_text(entry, labels.lang_tag()),
    )

    @app.context_processor
    def _labels_once_per_page() -> dict:
        # A list page asks the same few labels hundreds of times (a status, a region, a tier per row, the
        # filter's options); each asked Flask-Babel for the locale and the catalogue again (a third of the
        # supplier list's rendering, issue 14). Within one rendered page the language is fixed, so each
        # distinct question is answered once. Macros imported without context use the globals as before.
        return {name: _once_per_page(app.jinja_env.globals[name]) for name in REMEMBERED_PER_PAGE}


# Label helpers whose answer depends only on their arguments and the page's language.
REMEMBERED_PER_PAGE = ("status_label", "status_badge", "supplier_type_label", "region_label", "province_label",
                       "country_label", "pick", "pick_name", "chinese", "lang", "lang_tag", "risk_level_label",
                       "risk_tier_label", "risk_factor_label")


def _once_per_page(helper):
    """The helper, remembering its (plain text) answer per arguments for one rendered page."""
    answers: dict = {}

    def remembered(*args):
        try:
            return answers[args]
        except KeyError:
            answer = answers[args] = plain_lazy_strings(helper(*args))
            return answer
        except TypeError:  # an argument that cannot be a key: asked every time
            return helper(*args)

    return remembered
