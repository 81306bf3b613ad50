"""XLSX and CSV exports of the list pages: each exports what its page shows, with the page's filters.

``/exports/<list>.<xlsx|csv>?<the list page's query string>``; the list pages link here with their
current filters. Texts are written as the reader sees them (labels in the reader's language) and
every cell goes through ``supplychain.text_safety``, so no cell becomes a formula. CSV is
written line by line and XLSX in openpyxl's write-only mode, both to a temporary file sent from
there, so a list of 100,000 suppliers costs constant memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from flask import Blueprint, abort, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from reports import table_export
from supplychain import db, labels
from supplychain.audit_labels import changes_line, describe, in_report_zone, report_zone
from supplychain.clock import today
from supplychain.evidence_labels import CERT_TYPE_LABELS, PLEDGE_KIND_LABELS
from supplychain.evidence_labels import label as ev_label
from supplychain.models import SupplyCategory
from supplychain.security import STAFF, roles_required
from supplychain.services.daily_work import list_exports
from supplychain.services.evaluation.periods import period_label
from supplychain.services.evidence import certifications, corrective_actions, incidents, pledges
from supplychain.services.registry import relationships
from supplychain.views import certificates as certificate_views
from supplychain.views import evaluations as evaluation_views
from supplychain.views import incidents as incident_views
from supplychain.views import suppliers as supplier_views

bp = Blueprint("list_exports", __name__, url_prefix="/exports")

#: Who may read the audit log (and so export it).
AUDIT_READERS = ("admin", "auditor")


@dataclass(frozen=True)
class Table:
    """A list ready to write: file stem, sheet title, header and rows."""

    stem: str
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]


def suppliers_table() -> Table:
    """The supplier list with its search, filters and sort."""
    from supplychain import regions

    filters = supplier_views._filters()
    records = list_exports.suppliers(db.session, filters)
    # Labels looked up once, not once per row: a list can have 100,000 rows.
    region_names = {r.key: labels.region_label(r.key) for r in regions.REGIONS}
    places = {p.code: regions.province_name(p, labels.lang_tag()) for p in regions.provinces()}
    countries = dict(regions.countries(labels.lang_tag()))
    statuses = {key: str(label) for key, label in labels.STATUS_LABELS.items()}
    types = {key: str(label) for key, label in labels.SUPPLIER_TYPE_LABELS.items()}
    category_names = {c.id: labels.pick(c.name_zh, c.name_en) for c in db.session.scalars(select(SupplyCategory))}

    def categories_of(row) -> str:
        """The supplier's categories in the reader's language."""
        return ", ".join(category_names.get(i, "") for i in row.category_ids)

    rows = (
        (s.id, s.name_zh, s.name_en or "", s.credit_code or "", region_names.get(s.region, s.region),
         places.get(s.province_code or "") or countries.get(s.country or "", s.country or ""), s.city or "",
         categories_of(s), statuses.get(s.status, s.status), s.registered_on,
         types.get(s.supplier_type, s.supplier_type))
        for s in records
    )
    header = (_("No."), _("Chinese name"), _("English name"), _("Credit code"), _("Region"), _("Province"),
              _("City"), _("Categories"), _("Status"), _("Registered on"), _("Supplier type"))
    return Table("suppliers", _("Suppliers"), header, rows)


def certificates_table() -> Table:
    """The certificate expiry list (expiring, expired or unverified) with its filters."""
    filters = certificate_views._filters()
    records = certifications.expiry_list(db.session, today(), filters)
    rows = (
        (r.supplier.name_zh, r.supplier.credit_code or "",
         r.cert.other_name if r.cert.cert_type == "other" and r.cert.other_name
         else str(CERT_TYPE_LABELS.get(r.cert.cert_type, r.cert.cert_type)),
         r.cert.number, r.cert.issuer, r.cert.expires_on, r.days_left if r.cert.expires_on else "",
         ev_label("cert_status", r.status))
        for r in records
    )
    header = (_("Supplier"), _("Credit code"), _("Type"), _("Number"), _("Issuer"), _("Expires on"),
              _("Days left"), _("Status"))
    return Table("certificates", _("Certificate expiry"), header, rows)


def missing_pledges_table() -> Table:
    """Suppliers missing a required pledge, with the kind filter."""
    kind = request.args.get("kind", "")
    kind = kind if kind in PLEDGE_KIND_LABELS else ""
    records = pledges.missing_pledges(db.session, today(), kind or None)
    rows = (
        (s.name_zh, s.credit_code or "", labels.region_label(s.region),
         ", ".join(str(PLEDGE_KIND_LABELS.get(k, k)) for k in lacking))
        for s, lacking in records
    )
    header = (_("Supplier"), _("Credit code"), _("Region"), _("Missing"))
    return Table("missing-pledges", _("Suppliers missing a pledge"), header, rows)


def _supplier_name(record) -> str:
    """The name of the record's supplier; of one outside the reader's scope (a record of their organisation naming a
    supplier only others buy from), the name the group shares, as the list page shows it."""
    if record.supplier is not None:
        return record.supplier.name_zh
    ref = relationships.supplier_refs(db.session, [record.supplier_id]).get(record.supplier_id)
    return ref.name_zh if ref else ""


def _action_rows(actions, status_of: Callable) -> Iterable[Sequence[object]]:
    for a in actions:
        yield (a.id, _supplier_name(a), a.action, a.owner, a.due_on, ev_label("action_status", status_of(a)),
               f"#{a.incident_id}" if a.incident_id else "", a.verified_on)


_ACTION_HEADER = ("No.", "Supplier", "Action required", "Owner", "Deadline", "Status", "Incident", "Verified on")


def corrective_actions_table() -> Table:
    """Corrective actions with the status tab chosen (overdue included)."""
    from supplychain.models.incidents import ACTION_DISPLAY_STATUSES

    status = request.args.get("status", "")
    status = status if status in ACTION_DISPLAY_STATUSES else ""
    if status == "overdue":
        actions = corrective_actions.overdue(db.session, today())
    else:
        actions = corrective_actions.list_actions(db.session, today(), status)
    rows = _action_rows(actions, lambda a: corrective_actions.display_status(a, today()))
    return Table("corrective-actions", _("Corrective actions"), [_(h) for h in _ACTION_HEADER], rows)


def incidents_table() -> Table:
    """Incidents with the list's filters."""
    records = incidents.list_incidents(db.session, incident_views.list_filters())
    rows = (
        (i.id, i.occurred_on, _supplier_name(i), ev_label("incident_category", i.category),
         ev_label("severity", i.severity), i.description, ev_label("incident_status", i.status))
        for i in records
    )
    header = (_("No."), _("Date"), _("Supplier"), _("Category"), _("Severity"), _("Description"), _("Status"))
    return Table("incidents", _("Incidents"), header, rows)


def evaluations_table() -> Table:
    """Evaluations with the list's filters, every page."""
    language = labels.lang()
    records = list_exports.evaluations_list(db.session, evaluation_views.list_filters(), current_user)
    rows = (
        (e.id, e.supplier.name_zh, e.supplier.credit_code or "",
         str(evaluation_views.KIND_LABELS.get(e.kind, e.kind)),
         period_label(e.period_type, e.period_year, e.period_index, language) or (e.as_of or ""),
         labels.pick(e.category.name_zh, e.category.name_en),
         str(evaluation_views.STATUS_LABELS.get(e.status, e.status)),
         float(e.total) if e.total is not None else "",
         evaluation_views._grade_name(e) if e.grade else "",
         str(evaluation_views.OUTCOME_LABELS.get(e.outcome, e.outcome or "")))
        for e in records
    )
    header = (_("No."), _("Supplier"), _("Credit code"), _("Kind"), _("Period"), _("Category"), _("Status"),
              _("Total"), _("Grade"), _("Outcome"))
    return Table("evaluations", _("Evaluations"), header, rows)


def audit_filters() -> list_exports.AuditFilters:
    """The audit log's filters from the query string (shared by the page and its export)."""
    from datetime import date

    def day(name: str):
        """An ISO day from the query string, None when absent or malformed."""
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    args = request.args
    return list_exports.AuditFilters(
        entity_type=args.get("type", "")[:40], action=args.get("action", "")[:40],
        actor=args.get("actor", "")[:254], supplier_id=args.get("supplier_id", type=int),
        date_from=day("from"), date_to=day("to"))


def _described(records) -> Iterable:
    """Audit entries in words, a thousand at a time: the names they refer to are looked up once per thousand
    entries, not once per entry."""
    batch: list = []
    for entry in records:
        batch.append(entry)
        if len(batch) == 1000:
            yield from describe(batch, db.session)
            batch = []
    if batch:
        yield from describe(batch, db.session)


def audit_log_table() -> Table:
    """The audit log with its filters, every change in words, times in the report time zone."""
    tz = report_zone()
    records = list_exports.all_audit_entries(db.session, audit_filters(), tz)
    rows = (
        (t.entry.id, in_report_zone(t.entry.at),
         t.entry.actor_email or _("system"), t.action, t.entry.entity_id or "",
         t.entry.supplier_id or "", t.subject, changes_line(t), t.note)
        for t in _described(records)
    )
    header = (_("No."), _("When (%(zone)s)", zone=str(tz)), _("Who"), _("Action"), _("Record no."),
              _("Supplier no."), _("Supplier"), _("Changes"), _("Note"))
    return Table("audit-log", _("Audit log"), header, rows)


#: list name → (table builder, roles allowed)
LISTS: dict[str, tuple[Callable[[], Table], tuple[str, ...]]] = {
    "suppliers": (suppliers_table, STAFF),
    "certificates": (certificates_table, STAFF),
    "missing-pledges": (missing_pledges_table, STAFF),
    "corrective-actions": (corrective_actions_table, STAFF),
    "incidents": (incidents_table, STAFF),
    "evaluations": (evaluations_table, STAFF),
    "audit-log": (audit_log_table, AUDIT_READERS),
}


def file_name(stem: str, fmt: str) -> str:
    """The download's name: the list, the language and the day, e.g. suppliers-zh-2026-11-27.xlsx."""
    return f"{stem}-{labels.lang_tag()}-{today().isoformat()}.{fmt}"


@bp.route("/<list_name>.<fmt>")
@roles_required(*STAFF)
def download(list_name: str, fmt: str):
    """One list, filtered like its page, as XLSX or CSV."""
    if list_name not in LISTS or fmt not in table_export.FORMATS:
        abort(404)
    build, roles = LISTS[list_name]
    if current_user.role not in roles:
        abort(403)
    table = build()
    # Written to a temporary file within the request (the records are read while the session is open),
    # then sent from disk: constant memory however long the list.
    spool = tempfile.TemporaryFile()
    if fmt == "csv":
        for chunk in table_export.iter_csv(table.header, table.rows):
            spool.write(chunk)
    else:
        table_export.write_xlsx(spool, table.header, table.rows, table.title)
    spool.seek(0)
    return send_file(spool, mimetype=table_export.MIMETYPES[fmt], as_attachment=True,
                     download_name=file_name(table.stem, fmt))
